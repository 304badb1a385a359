"""One fixture bundle: the fixtures its classes share, loaded once in a
transaction per database, and what it counts.

A ``FixtureBundle`` is the shared state of one bundle: its atomic blocks
(one per database), the models its fixtures loaded, and its counts. The run
(``nose_speedup.bundling.plan``) makes the bundles and tells each its classes.
``BundleFigures`` is what a bundle counted, without its transactions: a
worker of the parallel plugin sends it to the main process.
"""

import time
from dataclasses import dataclass

from nose_speedup.bundling.fixture_errors import (
    FixtureBundleError, class_name, describe_fixture_error,
)
from nose_speedup.compat import unittest_compat
from nose_speedup import timeline


@dataclass
class BundleFigures:
    """What one bundle did, by the names of ``FixtureBundle``'s counters, so
    the timing plugin reads either alike; picklable."""

    name: str
    classes_entered: int
    loads: int
    load_seconds: float  # all its loads together
    rows: int  # rows its last load loaded
    lost: int  # transactions lost to a closed connection, and reloaded


class FixtureBundle:
    """One set of fixtures, loaded once in a transaction its classes share.

    The bundle owns its life; the run and its classes only tell it when:

    * ``start_class``: the run, before each class's ``setUpClass``. A
      transaction a test lost (``connection.close()``,
      ``close_old_connections()``) is rolled back here, so the class reloads;
      the class is told whether it sets the bundle up;
    * ``enter``: the class's ``setUpClass``, with Django's settings overrides
      in place. The class told to set up opens a transaction per database and
      loads the fixtures; any other resets the sequences ``loaddata`` reset,
      so new rows get the primary keys they get under Django;
    * ``leave``: the class's ``tearDownClass``. The class told to tear down
      rolls the transaction back and closes the connections;
    * ``close``: the run, after the bundle's last class however it ended.
      Nothing to do when that class tore the bundle down.
    """

    def __init__(self, name, classes):
        self.name = name  # bundle_name of its classes' bundle_key, for reports
        self.classes = classes
        self.atomics = None
        self.loaded_models = {}  # alias -> the models loaddata loaded there
        self.failure = None  # (opener, describe_fixture_error's text)
        self.loads = 0
        self.load_seconds = 0.0  # all its loads together, for the timing report
        self.rows = 0  # rows its last load loaded
        self.lost = 0  # transactions lost to a closed connection, and reloaded
        self.classes_entered = 0

    def figures(self):
        return BundleFigures(
            self.name, self.classes_entered, self.loads, self.load_seconds, self.rows, self.lost
        )

    @property
    def is_open(self):
        return self.atomics is not None

    def start_class(self, test_class):
        from nose_speedup.compat import django_testcase

        if self.is_open and not django_testcase.atomics_alive(self.atomics):
            self.lost += 1
            self.close()
        test_class.sets_up_fixture_bundle = (
            not self.is_open and self.failure is None and not is_skipped(test_class)
        )

    def enter(self, test_class):
        from nose_speedup.compat import django_fixtures

        self.classes_entered += 1
        if self.failure is not None:
            opener, detail = self.failure
            raise FixtureBundleError(
                f"fixture-bundling: {class_name(test_class)} was not run because the "
                f"fixtures of its bundle did not load in {opener}, which {detail}"
            )
        if test_class.sets_up_fixture_bundle:
            self.open(test_class)
        else:
            django_fixtures.reset_sequences(self.loaded_models)

    def open(self, test_class):
        from nose_speedup.compat import django_fixtures, django_testcase

        self.atomics = django_testcase.enter_atomics(test_class)
        self.loads += 1
        started = time.perf_counter()
        try:
            self.loaded_models, self.rows = django_fixtures.load_fixtures(test_class)
            self.load_seconds += time.perf_counter() - started
            timeline.add_measured(timeline.FIXTURES, self.name, started)
        except Exception as error:
            self.close()
            detail = describe_fixture_error(test_class, error)
            self.failure = (class_name(test_class), detail)
            raise FixtureBundleError(
                f"fixture-bundling: {class_name(test_class)} {detail}"
            ) from error

    def leave(self, test_class):
        if test_class.tears_down_fixture_bundle:
            self.close()

    def close(self):
        """Roll back the bundle's transaction (and anything left open above
        it) on each database, then close the connections as Django does after
        a class. Does nothing when the bundle is not open."""
        from nose_speedup.compat import django_testcase

        atomics, self.atomics = self.atomics, None
        self.loaded_models = {}
        if atomics is None:
            return
        try:
            for alias in reversed(list(atomics)):
                django_testcase.roll_back_through(alias, atomics[alias])
        finally:
            django_testcase.close_class_connections()


def is_skipped(test_class):
    """unittest's own test for skipping a whole class. Django's class-level
    ``skipUnlessDBFeature`` is a lazy condition: evaluated here, at run time,
    on the test databases, as unittest would a moment later."""
    try:
        return unittest_compat.is_class_skipped(test_class)
    except Exception:
        return False  # unittest evaluates it again and reports the error
