"""The fixture-bundling plugin on a real nose2 ``Session``: grouping, the
part each class is told, and what is put back after the run.

Nothing here touches a database: the run's executor is replaced by one that
records, test by test, the class and the public attributes it runs with
(the way nose2's own unit tests watch a plugin through events).
"""

import importlib
import io
import subprocess
import sys
import unittest
from pathlib import Path

import pytest
from nose2 import events, session
from nose2.util import _WritelnDecorator

from nose_speedup.errors import ConfigurationError
from nose_speedup.plugins import bundling

REPO_ROOT = Path(__file__).resolve().parents[1]


def configure_django():
    from django.conf import settings

    if not settings.configured:
        sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
        settings.configure(DATABASES={"default": sqlite, "other": dict(sqlite)})
    if "other" not in settings.DATABASES:
        raise RuntimeError(
            "Django settings configured elsewhere in this test process lack the alias "
            "'other' these unit tests need; configure it there too"
        )


configure_django()

from django.test import TestCase  # noqa: E402

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
    """The executor the plugin wraps: records each test's class and part."""

    def __init__(self):
        self.seen = []

    def __call__(self, suite, result):
        for test in suite:
            test_class = type(test)
            part = None
            if isinstance(test, FastFixtureTestCase):
                part = (
                    test_class.fixture_bundle is not None,
                    test_class.sets_up_fixture_bundle,
                    test_class.tears_down_fixture_bundle,
                )
            self.seen.append((test_class.__name__, part))

    def classes(self):
        return list(dict.fromkeys(name for name, _ in self.seen))

    def parts(self):
        return dict(self.seen)


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


def test_classes_sharing_fixtures_run_together_where_the_first_stood(nose2_session):
    recorder = run(nose2_session, cases_of(UsersA, OrdersA, Plain, UsersB, OrdersB, UsersC))
    assert recorder.classes() == ["UsersA", "UsersB", "UsersC", "OrdersA", "OrdersB", "Plain"]


def test_first_and_last_class_of_a_bundle_set_it_up_and_tear_it_down(nose2_session):
    parts = run(nose2_session, cases_of(UsersA, OrdersA, UsersB, OrdersB, UsersC)).parts()
    assert parts["UsersA"] == (True, True, False)
    assert parts["UsersB"] == (True, False, False)
    assert parts["UsersC"] == (True, False, True)
    assert parts["OrdersA"] == (True, True, False)
    assert parts["OrdersB"] == (True, False, True)


def test_classes_of_a_bundle_share_one_bundle_object(nose2_session):
    seen = {}

    def executor(suite, result):
        for test in suite:
            seen[type(test).__name__] = type(test).fixture_bundle

    run(nose2_session, cases_of(UsersA, OrdersA, UsersB, OrdersB), executor)
    assert seen["UsersA"] is seen["UsersB"] and seen["OrdersA"] is seen["OrdersB"]
    assert seen["UsersA"] is not seen["OrdersA"]


def test_class_skipped_first_or_last_neither_sets_up_nor_tears_down(nose2_session):
    first = unittest.skip("first")(type("SkippedFirst", (Base,), {"fixtures": ["users.json"]}))
    last = unittest.skip("last")(type("SkippedLast", (Base,), {"fixtures": ["users.json"]}))
    parts = run(nose2_session, cases_of(first, UsersA, UsersB, last)).parts()
    assert parts["SkippedFirst"] == (True, False, False)
    assert parts["UsersA"] == (True, True, False)
    assert parts["UsersB"] == (True, False, True)
    assert parts["SkippedLast"] == (True, False, False)


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


def test_a_class_alone_with_its_fixtures_keeps_djangos_defaults(nose2_session):
    parts = run(nose2_session, cases_of(UsersA, OrdersA)).parts()
    assert parts == {"UsersA": (False, True, True), "OrdersA": (False, True, True)}


def test_exempt_classes_and_classes_without_fixtures_stay_out_and_in_place(nose2_session):
    recorder = run(nose2_session, cases_of(UsersA, UsersExempt, NoFixtures, UsersB))
    assert recorder.classes() == ["UsersA", "UsersB", "UsersExempt", "NoFixtures"]
    assert recorder.parts()["UsersExempt"] == (False, True, True)
    assert recorder.parts()["NoFixtures"] == (False, True, True)


def test_other_databases_or_available_apps_make_other_bundles(nose2_session):
    other_db = type("UsersOtherDatabase2", (UsersOtherDatabase,), {})
    fewer_apps = type("UsersFewerApps2", (UsersFewerApps,), {})
    parts = run(
        nose2_session,
        cases_of(UsersA, UsersOtherDatabase, UsersFewerApps, UsersB, other_db, fewer_apps),
    ).parts()
    assert parts["UsersA"] == (True, True, False) and parts["UsersB"] == (True, False, True)
    assert parts["UsersOtherDatabase"] == (True, True, False)
    assert parts["UsersOtherDatabase2"] == (True, False, True)
    assert parts["UsersFewerApps"] == (True, True, False)
    assert parts["UsersFewerApps2"] == (True, False, True)


def test_a_subclass_does_not_inherit_its_bundled_parents_part(nose2_session):
    child = type("UsersChild", (UsersA,), {"fixtures": ["orders.json"]})
    parts = run(nose2_session, cases_of(UsersA, UsersB, child)).parts()
    assert parts["UsersA"] == (True, True, False)
    assert parts["UsersChild"] == (False, True, True)


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


def test_bundling_stands_aside_under_the_mp_plugin(nose2_session):
    ssn, plugin, watcher = nose2_session
    ssn.loadPluginsFromModule(importlib.import_module("nose2.plugins.mp"))
    mp = next(p for p in ssn.plugins if type(p).__module__ == "nose2.plugins.mp")
    mp.register()
    recorder = Recorder()
    event = events.StartTestRunEvent(
        None, unittest.TestSuite(cases_of(UsersA, UsersB)), unittest.TestResult(), 0, recorder
    )
    ssn.hooks.startTestRun(event)
    assert event.executeTests == mp._runmp  # not wrapped: bundling stood aside
    stream = _WritelnDecorator(io.StringIO())
    ssn.hooks.afterSummaryReport(events.ReportSummaryEvent(None, stream, {}))
    assert "fixture bundling: off under nose2's mp plugin (not supported yet)" in stream.getvalue()


def test_fixture_error_names_the_class_fixture_and_fix():
    from django.core.management.base import CommandError

    from nose_speedup.bundles import describe_fixture_error

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
