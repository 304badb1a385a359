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

from nose_speedup.compat import nose2_compat, unittest_compat


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
    if unittest_compat.is_error_holder(test):
        return ClassFixtureError(test.description)
    return test


def describe_unstarted_test(event, last_started_test, verbosity):
    """Write ``"<test> ... "`` before nose2's outcome label when the test never
    passed through ``startTest``: class fixture errors, and skipped tests on
    Python 3.12.1+, where nose2 -v would print a bare "ERROR" or "skipped"."""
    test, result = event.testEvent.test, event.testEvent.result
    if verbosity < 2 or test is last_started_test:
        return
    if not nose2_compat.reporter_names_unstarted_test(result):
        doc = test.shortDescription()
        event.stream.write(f"{test}\n{doc} ... " if doc else f"{test} ... ")


class OutcomeNames:
    """The report fixes of one run, fed by the django plugin's reporting
    hooks: name class fixture errors, prefix tests that never started, and
    end nose2's row of dots before the lines that follow the run."""

    def __init__(self, session):
        self.session = session
        self.last_started_test = None
        self.dots_written = False

    def outcome_set(self, event):
        event.test = named_error_holder(event.test)
        self.dots_written = self.session.verbosity == 1  # nose2's row of dots is open

    def test_started(self, event):
        self.last_started_test = event.test

    def reported(self, event):
        describe_unstarted_test(event, self.last_started_test, self.session.verbosity)

    def end_dots(self, stream):
        if self.dots_written:
            stream.write("\n")
