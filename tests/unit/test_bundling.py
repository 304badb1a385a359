"""The fixture-bundling plugin on a real nose2 ``Session``: grouping, what a
bundle does to the rows its classes see, and what is put back after the run.

The run goes through the real suite on an in-memory SQLite database, with
``loaddata`` replaced by an insert of one marker row per fixture (the way
nose2's own unit tests watch a plugin through events): so the tests count
loads, see rows and check rollbacks without any app or fixture file.
"""

import importlib
import io
import subprocess
import sys
import unittest
from pathlib import Path
from unittest import mock

import pytest
from nose2 import events, session
from nose2.util import _WritelnDecorator

from nose_speedup.errors import ConfigurationError
from nose_speedup.plugins import bundling

# In-process, on in-memory SQLite whatever NOSE_SPEEDUP_TEST_DB says.
pytestmark = pytest.mark.backend_independent

REPO_ROOT = Path(__file__).resolve().parents[2]


def configure_django():
    import django
    from django.conf import settings

    if not settings.configured:
        sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
        settings.configure(DATABASES={"default": sqlite, "other": dict(sqlite)})
        django.setup()
    if "other" not in settings.DATABASES:
        raise RuntimeError(
            "Django settings configured elsewhere in this test process lack the alias "
            "'other' these unit tests need; configure it there too"
        )


configure_django()

from django.test import TestCase, modify_settings, override_settings  # noqa: E402

from nose_speedup import FastFixtureTestCase  # noqa: E402


class Base(FastFixtureTestCase):
    __test__ = False  # for pytest: these classes are data, run by no one

    def test_one(self):
        """Never run: the executor only records."""

    def test_two(self):
        """Never run: the executor only records."""


class UsersA(Base):
    fixtures = ["users.json"]


class OrdersA(Base):
    fixtures = ["users.json", "orders.json"]


class UsersB(Base):
    fixtures = ["users.json"]


class Plain(TestCase):
    __test__ = False
    fixtures = ["users.json"]

    def test_one(self):
        """Never run."""


class UsersExempt(Base):
    fixtures = ["users.json"]
    exempt_from_fixture_bundling = True


class NoFixtures(Base):
    pass


class UsersC(Base):
    fixtures = ["users.json"]


class OrdersB(Base):
    fixtures = ["users.json", "orders.json"]


class UsersOtherDatabase(Base):
    fixtures = ["users.json"]
    databases = {"default", "other"}


class UsersFewerApps(Base):
    fixtures = ["users.json"]
    available_apps = ["shop"]


class UsersSubclass(UsersA):
    pass


class Watcher(events.Plugin):
    """Records the run's start, as a plugin registered after ours sees it."""

    def __init__(self):
        self.started = []

    def startTestRun(self, event):
        self.started.append(event)


def cases_of(*classes):
    return [test_class(name) for test_class in classes for name in ("test_one", "test_two")
            if hasattr(test_class, name)]


class Recorder:
    """An executor that records the order of the classes, running nothing."""

    def __init__(self):
        self.seen = []

    def __call__(self, suite, result):
        self.seen.extend(type(test).__name__ for test in suite)

    def classes(self):
        return list(dict.fromkeys(self.seen))


@pytest.fixture
def nose2_session():
    """A session with the django and bundling plugins loaded and registered."""
    ssn = session.Session()
    ssn.loadPluginsFromModule(importlib.import_module("nose_speedup.plugins.django"))
    plugin = loaded_bundling_plugin(ssn)
    plugin.register()
    watcher = Watcher(session=ssn)
    watcher.register()
    return ssn, plugin, watcher


def run(nose2_session, tests, executor=None):
    ssn, plugin, watcher = nose2_session
    executor = executor or Recorder()
    result = unittest.TestResult()
    event = events.StartTestRunEvent(None, unittest.TestSuite(tests), result, 0, executor)
    ssn.hooks.startTestRun(event)
    event.executeTests(event.suite, result)
    return executor


def units_of(tests):
    """The class names of each unit of work of a BundledRun, in order."""
    from nose_speedup.bundling.plan import BundledRun

    bundled = BundledRun(tests)
    try:
        return [list(dict.fromkeys(type(test).__name__ for test in unit))
                for unit in bundled.units]
    finally:
        bundled.finish()


def test_classes_sharing_fixtures_run_together_where_the_first_stood(nose2_session):
    recorder = run(nose2_session, cases_of(UsersA, OrdersA, Plain, UsersB, OrdersB, UsersC))
    assert recorder.classes() == ["UsersA", "UsersB", "UsersC", "OrdersA", "OrdersB", "Plain"]


def test_units_are_the_bundles_and_the_other_classes_in_run_order():
    assert units_of(cases_of(UsersA, OrdersA, Plain, UsersB, OrdersB, UsersExempt)) == [
        ["UsersA", "UsersB"], ["OrdersA", "OrdersB"], ["Plain"], ["UsersExempt"]
    ]


def test_classes_of_a_bundle_share_one_bundle_object(nose2_session):
    seen = {}

    def executor(suite, result):
        for test in suite:
            seen[type(test).__name__] = type(test).fixture_bundle

    run(nose2_session, cases_of(UsersA, OrdersA, UsersB, OrdersB), executor)
    assert seen["UsersA"] is seen["UsersB"] and seen["OrdersA"] is seen["OrdersB"]
    assert seen["UsersA"] is not seen["OrdersA"]


def test_lazy_class_skip_is_evaluated_only_when_the_tests_run(nose2_session):
    evaluated = []

    class LazyCondition:
        def __bool__(self):
            evaluated.append("evaluated")
            return True

    lazy = type(
        "LazySkip", (Base,), {"fixtures": ["users.json"], "__unittest_skip__": LazyCondition()}
    )
    ssn, plugin, watcher = nose2_session
    event = events.StartTestRunEvent(
        None, unittest.TestSuite(cases_of(UsersA, lazy, UsersB)), unittest.TestResult(), 0,
        Recorder(),
    )
    ssn.hooks.startTestRun(event)
    assert evaluated == [] and watcher.started == [event]
    event.executeTests(event.suite, event.result)
    assert evaluated


def test_a_class_alone_with_its_fixtures_is_no_bundle():
    tests = cases_of(UsersA, OrdersA, UsersExempt, NoFixtures)
    assert units_of(tests) == [["UsersA"], ["OrdersA"], ["UsersExempt"], ["NoFixtures"]]


def test_exempt_classes_and_classes_without_fixtures_stay_out_and_in_place():
    assert units_of(cases_of(UsersA, UsersExempt, NoFixtures, UsersB)) == [
        ["UsersA", "UsersB"], ["UsersExempt"], ["NoFixtures"]
    ]


def test_other_databases_or_available_apps_make_other_bundles():
    other_db = type("UsersOtherDatabase2", (UsersOtherDatabase,), {})
    fewer_apps = type("UsersFewerApps2", (UsersFewerApps,), {})
    assert units_of(
        cases_of(UsersA, UsersOtherDatabase, UsersFewerApps, UsersB, other_db, fewer_apps)
    ) == [
        ["UsersA", "UsersB"],
        ["UsersOtherDatabase", "UsersOtherDatabase2"],
        ["UsersFewerApps", "UsersFewerApps2"],
    ]


def test_other_class_settings_overrides_make_other_bundles():
    def users(name, *decorators):
        test_class = type(name, (Base,), {"fixtures": ["users.json"]})
        for decorator in decorators:
            test_class = decorator(test_class)
        return test_class

    tokyo = override_settings(TIME_ZONE="Asia/Tokyo")
    dirs = override_settings(FIXTURE_DIRS=["/a", "/b"])
    more_dirs = modify_settings(FIXTURE_DIRS={"append": "/c"})
    classes = [
        users("Plain1"), users("Tokyo1", tokyo), users("Dirs1", dirs),
        users("DirsMore1", dirs, more_dirs), users("Plain2"), users("Tokyo2", tokyo),
        users("Dirs2", override_settings(FIXTURE_DIRS=["/a", "/b"])),
        users("DirsMore2", dirs, more_dirs),
    ]
    assert units_of(cases_of(*classes)) == [
        ["Plain1", "Plain2"], ["Tokyo1", "Tokyo2"], ["Dirs1", "Dirs2"], ["DirsMore1", "DirsMore2"]
    ]


def test_a_subclass_does_not_inherit_its_bundled_parents_bundle():
    child = type("UsersChild", (UsersA,), {"fixtures": ["orders.json"]})
    assert units_of(cases_of(UsersA, UsersB, child)) == [["UsersA", "UsersB"], ["UsersChild"]]


def test_class_attributes_are_put_back_after_the_run(nose2_session):
    run(nose2_session, cases_of(UsersA, UsersB, UsersSubclass))
    for test_class in (UsersA, UsersB, UsersSubclass):
        for name in ("fixture_bundle", "sets_up_fixture_bundle", "tears_down_fixture_bundle"):
            assert name not in test_class.__dict__
    assert UsersA.fixture_bundle is None and UsersA.sets_up_fixture_bundle is True


def test_class_attributes_are_put_back_after_a_keyboard_interrupt(nose2_session):
    def interrupted(suite, result):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(nose2_session, cases_of(UsersA, UsersB), interrupted)
    assert "fixture_bundle" not in UsersA.__dict__ and "fixture_bundle" not in UsersB.__dict__


# What the run does with a database: in-memory SQLite, loaddata replaced by
# one row per fixture in the table ``fixture_row``.

SEEN = []  # (class name, fixture rows seen) by each test of the classes below
LOADS = []  # class name, per fixture load


def rows():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM fixture_row")
        return cursor.fetchone()[0]


class Sees(FastFixtureTestCase):
    """Records the fixture rows each test sees, and writes one of its own."""

    __test__ = False
    fixtures = ["users.json"]

    def test_rows(self):
        from django.db import connection

        SEEN.append((type(self).__name__, rows()))
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO fixture_row (name) VALUES ('written by a test')")


def sees(name, base=Sees, **attributes):
    return type(name, (base,), {"__test__": False, **attributes})


def fake_load_fixtures(test_class):
    from django.db import connection

    LOADS.append(test_class.__name__)
    with connection.cursor() as cursor:
        for fixture in test_class.fixtures:
            cursor.execute("INSERT INTO fixture_row (name) VALUES (%s)", [fixture])
    return {"default": set()}, len(test_class.fixtures)


@pytest.fixture
def database(nose2_session):
    from django.db import connection

    SEEN.clear()
    LOADS.clear()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE fixture_row (name varchar(30))")
    with mock.patch("nose_speedup.compat.django_fixtures.load_fixtures", fake_load_fixtures):
        yield nose2_session
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE fixture_row")


def run_for_real(nose2_session, *classes):
    ssn, plugin, watcher = nose2_session
    result = unittest.TestResult()
    tests = [test_class("test_rows") for test_class in classes]
    event = events.StartTestRunEvent(
        None, unittest.TestSuite(tests), result, 0, lambda suite, result: suite(result)
    )
    ssn.hooks.startTestRun(event)
    event.executeTests(event.suite, result)
    return result


def assert_rolled_back():
    from django.db import connection

    assert rows() == 0 and not connection.in_atomic_block


def test_a_bundle_loads_once_and_rolls_back_each_class_and_itself(database):
    result = run_for_real(database, sees("First"), sees("Second"), sees("Third"))
    assert result.wasSuccessful(), result.errors
    assert LOADS == ["First"]
    assert SEEN == [("First", 1), ("Second", 1), ("Third", 1)]
    assert_rolled_back()


def test_the_first_class_that_runs_loads_the_bundle(database):
    skipped = unittest.skip("skipped")(sees("SkippedFirst"))
    result = run_for_real(database, skipped, sees("Second"), sees("Third"))
    assert result.wasSuccessful() and len(result.skipped) == 1
    assert LOADS == ["Second"] and SEEN == [("Second", 1), ("Third", 1)]


def raising_set_up_class(error):
    def setUpClass(cls):
        raise error

    return classmethod(setUpClass)


@pytest.mark.parametrize("error", [unittest.SkipTest("skipped"), RuntimeError("broken")],
                         ids=["skip", "error"])
def test_a_class_failing_before_super_first_or_last_leaves_the_bundle_working(database, error):
    first = sees("FailsFirst", setUpClass=raising_set_up_class(error))
    last = sees("FailsLast", setUpClass=raising_set_up_class(error))
    after = sees("AfterTheBundle", fixtures=[])
    run_for_real(database, first, sees("Second"), sees("Third"), last, after)
    assert LOADS == ["Second"]
    assert SEEN == [("Second", 1), ("Third", 1), ("AfterTheBundle", 0)]
    assert_rolled_back()


def test_a_bundle_whose_last_class_failed_in_set_up_test_data_is_rolled_back(database):
    def broken(cls):
        raise RuntimeError("setUpTestData failed")

    last = sees("BrokenLast", setUpTestData=classmethod(broken))
    after = sees("AfterTheBundle", fixtures=[])
    result = run_for_real(database, sees("First"), last, after)
    assert len(result.errors) == 1
    assert SEEN == [("First", 1), ("AfterTheBundle", 0)]
    assert_rolled_back()


def test_closing_line_reports_counted_classes_and_loads(database):
    ssn, plugin, watcher = database
    run_for_real(
        database, sees("A"), sees("B"), sees("Orders1", fixtures=["users.json", "orders.json"]),
        sees("Orders2", fixtures=["users.json", "orders.json"]), sees("C"),
    )
    stream = _WritelnDecorator(io.StringIO())
    ssn.hooks.afterSummaryReport(events.ReportSummaryEvent(None, stream, {}))
    assert LOADS == ["A", "Orders1"]
    assert stream.getvalue() == (
        "fixture bundling: 5 classes in 2 bundles; fixtures loaded 2 times instead of 5\n"
    )


def loaded_bundling_plugin(ssn):
    ssn.loadPluginsFromModule(bundling)
    return next(p for p in ssn.plugins if isinstance(p, bundling.FixtureBundling))


def test_bundling_without_the_django_plugin_is_refused_before_anything_runs():
    ssn = session.Session()
    loaded_bundling_plugin(ssn).register()  # what --with-fixture-bundling does
    with pytest.raises(ConfigurationError) as raised:
        ssn.hooks.handleArgs(events.CommandLineArgsEvent(args=None))
    assert str(raised.value).startswith("fixture-bundling: the django plugin is not loaded")
    assert "--plugin nose_speedup.plugins.django" in str(raised.value)


def test_bundling_plugin_loaded_but_not_switched_on_asks_for_nothing():
    ssn = session.Session()
    plugin = loaded_bundling_plugin(ssn)
    ssn.hooks.handleArgs(events.CommandLineArgsEvent(args=None))
    assert not plugin.registered


def test_the_mp_plugin_is_refused_at_start_up_naming_django_parallel(nose2_session):
    ssn, plugin, watcher = nose2_session
    ssn.loadPluginsFromModule(importlib.import_module("nose2.plugins.mp"))
    mp = next(p for p in ssn.plugins if type(p).__module__ == "nose2.plugins.mp")
    mp.register()
    with pytest.raises(ConfigurationError) as refused:
        ssn.hooks.handleArgs(events.CommandLineArgsEvent(args=None))
    assert "nose2's mp plugin" in str(refused.value)
    assert "use --django-parallel N" in str(refused.value)


def test_fixture_error_names_the_class_fixture_and_fix():
    from django.core.management.base import CommandError

    from nose_speedup.bundling.fixture_errors import describe_fixture_error

    text = describe_fixture_error(OrdersA, CommandError("No fixture named 'orders' found."))
    assert text == (
        "could not load fixture 'orders.json': No fixture named 'orders' found. Fix the name "
        "in OrdersA.fixtures or add the file to a fixtures directory (an app's fixtures/ or "
        "FIXTURE_DIRS)"
    )


def test_plugin_module_binds_one_plugin_and_imports_no_django():
    plugins = [v for v in vars(bundling).values()
               if isinstance(v, type) and issubclass(v, events.Plugin) and v is not events.Plugin]
    assert plugins == [bundling.FixtureBundling]
    check = "import sys, nose_speedup.plugins.bundling; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", check], cwd=REPO_ROOT).returncode == 0
