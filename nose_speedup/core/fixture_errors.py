"""What went wrong loading a class's fixtures, in one line with the fix.

Django's ``fixtures`` fail the same way whether a class loads them itself or
a feature loads them for it (fixture bundling), so this is the django
plugin's: ``describe_fixture_error`` says it for a class;
``shorten_fixture_error`` puts that line in nose2's report in place of
Django's chained tracebacks. A feature that says it in one line already
raises a subclass of ``OneLineFixtureError`` (bundling's
``FixtureBundleError``).
"""


class OneLineFixtureError(Exception):
    """Fixtures could not be loaded; the message says why and what to fix,
    in one line, and is reported as it is."""


def class_name(test_class):
    return f"{test_class.__module__}.{test_class.__qualname__}"


def error_reason(error):
    """Django's message, plus the first cause it hides: a malformed JSON
    file raises ``Problem installing fixture '...': `` with the decoder's
    message only in the chained exception."""
    reason = str(error).strip().rstrip(".")
    cause = error.__cause__ or error.__context__
    while cause is not None:
        text = str(cause).strip().rstrip(".")
        if text and text not in reason:
            return f"{reason} {text}" if reason.endswith(":") else f"{reason} ({text})"
        cause = cause.__cause__ or cause.__context__
    return reason


def describe_fixture_error(test_class, error):
    """What went wrong loading ``test_class.fixtures`` and how to fix it:
    "could not load fixture 'users.json': <Django's reason>. <the fix>"."""
    reason = error_reason(error)
    fixture = next(
        (
            label
            for label in test_class.fixtures
            if f"'{label}'" in reason
            or f"'{label.split('.')[0]}'" in reason
            or f"/{label}'" in reason
        ),
        None,
    )
    named = f"fixture '{fixture}'" if fixture else f"fixtures {list(test_class.fixtures)}"
    if "No fixture named" in reason:
        fix = (
            f"Fix the name in {test_class.__qualname__}.fixtures or add the file to a "
            "fixtures directory (an app's fixtures/ or FIXTURE_DIRS)"
        )
    else:
        fix = (
            "Fix the file: it must be a valid fixture of installed models and their "
            f"fields, or drop it from {test_class.__qualname__}.fixtures"
        )
    return f"could not load {named}: {reason}. {fix}"


class FixtureLoadError(Exception):
    """Stands in, in the report, for the chained traceback of a class whose
    fixtures did not load: its message is the one line that says which
    class, which fixture, Django's reason and the fix."""


def _is_fixture_load_error(error):
    text = str(error)
    return isinstance(error, OneLineFixtureError) or (
        "Problem installing fixture" in text or "No fixture named" in text
    )


def _failing_class(description):
    """The class of ``setUpClass (app.tests.OrderTests)``, else ``None``."""
    import pydoc

    name, _, rest = description.partition(" (")
    if name != "setUpClass" or not rest.endswith(")"):
        return None
    return pydoc.locate(rest[:-1])


def shorten_fixture_error(event, verbosity):
    """Below verbosity 2, report a class whose fixtures failed to load with
    one line (the class, the fixture, Django's reason, the fix) instead of
    Django's chained tracebacks; ``-v 2`` keeps them for debugging."""
    exc_info = event.exc_info
    if verbosity >= 2 or not exc_info or not _is_fixture_load_error(exc_info[1]):
        return
    error = exc_info[1]
    if isinstance(error, OneLineFixtureError):
        line = str(error)
    else:
        test_class = _failing_class(str(event.test))
        if not isinstance(test_class, type) or not getattr(test_class, "fixtures", None):
            return
        line = f"{class_name(test_class)} {describe_fixture_error(test_class, error)}"
    line = f"{line} (-v 2 shows Django's traceback)"
    # nose2 prints a traceback given as a list of lines as it is (its mp
    # plugin sends tracebacks from workers this way).
    event.exc_info = (FixtureLoadError, FixtureLoadError(line), [line + "\n"])
