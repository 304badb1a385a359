"""Name every outcome in nose2's report the way Django's runner does.

Class fixture errors: when ``setUpClass`` (or ``setUpModule``,
``tearDownClass``...) fails, unittest reports the error on an ``_ErrorHolder`` whose description is
``setUpClass (app.tests.OrderTests)``. nose2's reporter names anything that is
not a ``TestCase`` by its type, so the error would read ``ERROR: _ErrorHolder``
and the failing class would be nowhere. This stands in for the holder with a
``TestCase`` that carries the holder's description, for the console report,
junit-xml and every other plugin alike.
"""

import unittest


class ClassFixtureError(unittest.TestCase):
    """The outcome of a failed class or module fixture, under its name."""

    def __init__(self, description):
        super().__init__("run_nothing")
        self.description = description

    def run_nothing(self):
        """Never run: this object only carries a name for the report."""

    def id(self):
        return self.description

    def __str__(self):
        return self.description

    def shortDescription(self):
        return None


def named_error_holder(test):
    """``test`` itself, or a ``ClassFixtureError`` when it is unittest's
    ``_ErrorHolder`` for a class or module fixture."""
    if isinstance(test, unittest.suite._ErrorHolder):
        return ClassFixtureError(test.description)
    return test


def describe_unstarted_test(event, last_started_test, verbosity):
    """Write ``"<test> ... "`` before nose2's outcome label when the test never
    passed through ``startTest``: class fixture errors, and skipped tests on
    Python 3.12.1+, where nose2 -v would print a bare "ERROR" or "skipped"."""
    test, result = event.testEvent.test, event.testEvent.result
    if verbosity < 2 or test is last_started_test:
        return
    if getattr(result, "test_started", True):  # else nose2 names it itself
        doc = test.shortDescription()
        event.stream.write(f"{test}\n{doc} ... " if doc else f"{test} ... ")


class FixtureLoadError(Exception):
    """Stands in, in the report, for the chained traceback of a class whose
    fixtures did not load: its message is the one line that says which
    class, which fixture, Django's reason and the fix."""


def _is_fixture_load_error(error):
    from nose_speedup.bundles import FixtureBundleError

    text = str(error)
    return isinstance(error, FixtureBundleError) or (
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
    from nose_speedup.bundles import FixtureBundleError, class_name, describe_fixture_error

    error = exc_info[1]
    if isinstance(error, FixtureBundleError):
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
