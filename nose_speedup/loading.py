"""Find the test methods of a Django test class without touching its other
attributes.

nose2's generator and parameter loaders read every attribute of a class to
find generator tests. On a Django test class that evaluates class-level
``skipUnlessDBFeature``/``skipIfDBFeature`` conditions during discovery,
before the test databases exist, so they query the real database; and it
calls ``LiveServerTestCase.live_server_url`` before the server is up. Django's
runner loads these classes with unittest's rules (methods whose names start
with ``test``, nothing else read), and so does this. The price: nose2
plugins that pick test names by attributes (``attrib``) or generate tests
(``generators``, ``params``) do not apply to Django test classes, exactly as
under Django's own runner; use Django's ``@tag`` for selection.
"""


def test_method_names(event):
    """The sorted names of the test methods of ``event.testCase`` (a nose2
    ``LoadFromTestCaseEvent``)."""
    test_case = event.testCase
    prefix = event.loader.session.testMethodPrefix
    names = [
        name for name in dir(test_case)
        if name.startswith(prefix) and callable(getattr(test_case, name))
    ]
    if not names and hasattr(test_case, "runTest"):
        names = ["runTest"]
    sort_key = getattr(test_case, "sortTestMethodsUsing", event.loader.sortTestMethodsUsing)
    return sorted(names, key=sort_key) if sort_key else names
