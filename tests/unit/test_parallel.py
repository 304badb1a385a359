"""Units of work, their order and the process count, without a subprocess."""

import unittest

import pytest
from django.test import SimpleTestCase, TestCase, TransactionTestCase

from nose_speedup.errors import ConfigurationError
from nose_speedup.parallel import switches, units


class BigTransactionTests(TransactionTestCase):
    __test__ = False  # loaded by the tests below, not collected by pytest
    def test_a(self): pass
    def test_b(self): pass
    def test_c(self): pass


class SmallTests(TestCase):
    __test__ = False  # loaded by the tests below, not collected by pytest
    def test_a(self): pass


class MiddleTests(TestCase):
    __test__ = False  # loaded by the tests below, not collected by pytest
    def test_a(self): pass
    def test_b(self): pass


class PlainTests(unittest.TestCase):
    __test__ = False  # loaded by the tests below, not collected by pytest
    def test_a(self): pass
    def test_b(self): pass
    def test_c(self): pass
    def test_d(self): pass


class SimpleTests(SimpleTestCase):
    __test__ = False  # loaded by the tests below, not collected by pytest
    def test_a(self): pass


def loaded(*classes):
    loader = unittest.TestLoader()
    return [test for cls in classes for test in loader.loadTestsFromTestCase(cls)]


def test_a_class_is_one_unit_and_never_split():
    made = units.make_units(loaded(SmallTests, MiddleTests, BigTransactionTests), False)
    assert [unit.size for unit in made] == [1, 2, 3]
    assert [type(unit.tests[0]) for unit in made] == [SmallTests, MiddleTests, BigTransactionTests]


def test_test_cases_go_first_largest_first_then_other_django_tests_then_unittest():
    made = units.make_units(
        loaded(PlainTests, BigTransactionTests, SmallTests, SimpleTests, MiddleTests), False
    )
    order = [type(unit.tests[0]) for unit in units.schedule(made)]
    assert order == [MiddleTests, SmallTests, BigTransactionTests, SimpleTests, PlainTests]


class SmallTransactionTests(TransactionTestCase):
    __test__ = False  # loaded by the tests below, not collected by pytest
    serialized_rollback = True
    def test_a(self): pass


def test_transaction_test_cases_keep_djangos_order_whatever_they_weigh():
    # What one leaves in a worker's database (content types made anew by a
    # flush) must meet only what follows it in Django's serial run: a
    # serialized_rollback class first in Django's order stays first.
    made = units.make_units(loaded(SmallTransactionTests, BigTransactionTests, SimpleTests), False)
    order = [type(unit.tests[0]) for unit in units.schedule(made)]
    assert order == [SmallTransactionTests, BigTransactionTests, SimpleTests]
    weights = units.recorded_weights(made, durations(
        tests={f"{__name__}.BigTransactionTests.test_a": 9.0}))
    order = [type(unit.tests[0]) for unit in units.schedule(made, weights=weights)]
    assert order == [SmallTransactionTests, BigTransactionTests, SimpleTests]


def test_other_weights_can_order_a_group():
    made = units.make_units(loaded(SmallTests, MiddleTests), False)
    order = units.schedule(made, weights=lambda unit: -unit.size)
    assert [type(unit.tests[0]) for unit in order] == [SmallTests, MiddleTests]


def durations(tests=None, classes=None):
    from nose_speedup.timing import store

    recorded = store.empty()
    recorded["tests"].update(tests or {})
    recorded["classes"].update(classes or {})
    return recorded


def test_recorded_durations_put_the_longest_unit_first_within_its_group():
    made = units.make_units(loaded(MiddleTests, SmallTests, BigTransactionTests), False)
    small = f"{__name__}.SmallTests"
    weights = units.recorded_weights(made, durations(
        tests={f"{small}.test_a": 5.0, f"{__name__}.MiddleTests.test_a": 0.1},
        classes={f"{__name__}.BigTransactionTests": 0.5},
    ))
    order = [type(unit.tests[0]) for unit in units.schedule(made, weights=weights)]
    # SmallTests (one 5 s test) before MiddleTests (two tests of 0.1 s);
    # TransactionTestCases still after every TestCase.
    assert order == [SmallTests, MiddleTests, BigTransactionTests]


def test_a_unit_the_file_does_not_know_weighs_its_size_times_the_known_mean():
    made = units.make_units(loaded(SmallTests, PlainTests), False)
    weights = units.recorded_weights(made, durations(
        tests={f"{__name__}.SmallTests.test_a": 2.0}))
    assert [weights(unit) for unit in made] == [2.0, 8.0]


def test_a_file_that_knows_no_unit_falls_back_to_test_counts():
    made = units.make_units(loaded(SmallTests, MiddleTests), False)
    assert units.recorded_weights(made, durations(tests={"elsewhere.T.test": 1.0})) is None
    assert units.recorded_weights(made, durations()) is None


@pytest.mark.parametrize("value, expected", [("", 1), ("1", 1), ("3", 3), ("auto", 4),
                                              ("auto-1", 3), ("auto-9", 1)])
def test_processes_read_like_djangos_parallel(monkeypatch, value, expected):
    monkeypatch.setenv("DJANGO_TEST_PROCESSES", "4")
    assert switches.processes(switches.check(value, "--django-parallel")) == expected


@pytest.mark.parametrize("value", ["lots", "-2", "auto-", "2.5"])
def test_a_bad_value_names_itself(value):
    with pytest.raises(ConfigurationError, match=f"--django-parallel {value!r} is not"):
        switches.check(value, "--django-parallel")


def test_copies_are_made_in_threads_and_each_error_is_returned_for_its_call():
    import threading

    from nose_speedup.parallel import clones

    threads = set()

    def make(slot):
        threads.add(threading.get_ident())
        if slot == 2:
            raise NotImplementedError("no copies here")

    errors = clones.in_threads(make, [1, 2, 3])
    assert [type(error) for error in errors] == [type(None), NotImplementedError, type(None)]
    assert threads and threading.get_ident() not in threads


def test_copies_are_dropped_by_the_names_they_were_made_with(monkeypatch):
    """The copies are dropped in a thread while the run's tear-down gives
    NAME back to the real database: a copy's name derived from NAME then
    would be the real name plus a suffix, which may be someone's database,
    and the copy itself would be left behind."""
    from types import SimpleNamespace

    from nose_speedup.compat import django_testdb
    from nose_speedup.parallel import clones

    settings_dict = {"NAME": "test_shop"}
    creation = SimpleNamespace(
        get_test_db_clone_settings=lambda suffix: {"NAME": f"{settings_dict['NAME']}_{suffix}"}
    )
    connection = SimpleNamespace(
        alias="default", settings_dict=settings_dict, creation=creation, close=lambda: None
    )
    made = [(connection, slot, clones.clone_name(connection, slot)) for slot in (1, 2)]
    settings_dict["NAME"] = "shop"  # the tear-down restored the real name
    dropped = []
    monkeypatch.setattr(
        django_testdb, "destroy_test_db_named", lambda connection, name: dropped.append(name)
    )
    monkeypatch.setattr("django.db.connections", {"default": connection})
    databases = object.__new__(clones.WorkerDatabases)
    databases.made, databases.directory, databases.dropping = made, None, None
    databases.destroy_in_background()
    assert databases.finish() == []
    assert sorted(dropped) == ["test_shop_nsp1", "test_shop_nsp2"]
def fake_modules(log, failing=()):
    """Two test modules, ``nsp_fake_a`` and ``nsp_fake_b``, each with one
    class of two tests, whose module and class fixtures append to ``log``;
    the fixtures named in ``failing`` (e.g. ``"tearDownModule nsp_fake_a"``)
    raise. Returns {module name: [tests]}."""
    import sys
    import types

    def fixture(step, name):
        def run(*args):
            log.append(f"{step} {name}")
            if f"{step} {name}" in failing:
                raise RuntimeError(f"{step} of {name} fails")
        return run

    tests = {}
    for name in ("nsp_fake_a", "nsp_fake_b"):
        module = types.ModuleType(name)
        module.setUpModule = fixture("setUpModule", name)
        module.tearDownModule = fixture("tearDownModule", name)
        body = {
            "__module__": name,
            "setUpClass": classmethod(fixture("setUpClass", name)),
            "tearDownClass": classmethod(fixture("tearDownClass", name)),
            "test_one": lambda self: log.append("test"),
            "test_two": lambda self: log.append("test"),
        }
        module.Tests = type("Tests", (unittest.TestCase,), body)
        sys.modules[name] = module
        tests[name] = [module.Tests("test_one"), module.Tests("test_two")]
    return tests


@pytest.fixture
def clean_fake_modules():
    import sys

    yield
    for name in ("nsp_fake_a", "nsp_fake_b"):
        sys.modules.pop(name, None)


def run_in_one_worker(units_of_tests):
    """Run units as one worker does, each on a result of its own, then end
    the worker; return the results (the last: the worker's end)."""
    from nose_speedup.parallel import modules, worker

    kept, results = modules.KeptModules(), []
    for tests in units_of_tests:
        results.append(unittest.TestResult())
        worker.run_unit(tests, results[-1], False, kept)
    results.append(unittest.TestResult())
    kept.leave_all(results[-1])
    return results


def test_a_worker_keeps_a_module_set_up_across_consecutive_units(clean_fake_modules):
    log = []
    tests = fake_modules(log)
    a, b = tests["nsp_fake_a"], tests["nsp_fake_b"]
    results = run_in_one_worker([a[:1], a[1:], b[:1], b[1:], a[:1]])
    assert [step for step in log if step != "test"] == [
        "setUpModule nsp_fake_a",
        "setUpClass nsp_fake_a", "tearDownClass nsp_fake_a",  # each unit ends its class
        "setUpClass nsp_fake_a", "tearDownClass nsp_fake_a",
        "tearDownModule nsp_fake_a",  # the next unit is of another module
        "setUpModule nsp_fake_b",
        "setUpClass nsp_fake_b", "tearDownClass nsp_fake_b",
        "setUpClass nsp_fake_b", "tearDownClass nsp_fake_b",
        "tearDownModule nsp_fake_b",
        "setUpModule nsp_fake_a",
        "setUpClass nsp_fake_a", "tearDownClass nsp_fake_a",
        "tearDownModule nsp_fake_a",  # the worker's end
    ]
    assert log.count("test") == 5
    assert all(result.wasSuccessful() for result in results)


def test_a_failing_tear_down_module_is_reported_on_the_unit_that_switched_or_at_the_end(
    clean_fake_modules
):
    log = []
    tests = fake_modules(log, failing=("tearDownModule nsp_fake_a", "tearDownModule nsp_fake_b"))
    a, b = tests["nsp_fake_a"], tests["nsp_fake_b"]
    results = run_in_one_worker([a, b])
    errors = [[str(test) for test, _ in result.errors] for result in results]
    assert errors == [[], ["tearDownModule (nsp_fake_a)"], ["tearDownModule (nsp_fake_b)"]]
    assert "tearDownModule of nsp_fake_a fails" in results[1].errors[0][1]
    assert log.count("test") == 4


def test_a_module_whose_set_up_failed_stays_failed_for_its_next_units(clean_fake_modules):
    log = []
    tests = fake_modules(log, failing=("setUpModule nsp_fake_a",))
    a, b = tests["nsp_fake_a"], tests["nsp_fake_b"]
    results = run_in_one_worker([a[:1], a[1:], b])
    assert [[str(test) for test, _ in result.errors] for result in results] == [
        ["setUpModule (nsp_fake_a)"], [], [], [],
    ]
    # Its classes never run, its tearDownModule neither (as unittest does).
    assert log == ["setUpModule nsp_fake_a", "setUpModule nsp_fake_b", "setUpClass nsp_fake_b",
                   "test", "test", "tearDownClass nsp_fake_b", "tearDownModule nsp_fake_b"]
    assert [result.testsRun for result in results] == [0, 0, 2, 0]


def test_repeated_module_fixture_outcomes_are_replayed_once():
    from nose_speedup.parallel.modules import repeated_module_outcome

    seen = set()
    error = ("builtins.RuntimeError", "boom", None, "Traceback...\nRuntimeError: boom\n")
    other = ("builtins.RuntimeError", "other", None, "Traceback...\nRuntimeError: other\n")
    fixture = ("other", "tearDownModule (app.tests)")
    assert not repeated_module_outcome(seen, "addError", fixture, (error,))
    assert repeated_module_outcome(seen, "addError", fixture, (error,))
    assert not repeated_module_outcome(seen, "addError", fixture, (other,))
    skip = ("other", "setUpModule (app.tests)")
    assert not repeated_module_outcome(seen, "addSkip", skip, ("no server",))
    assert repeated_module_outcome(seen, "addSkip", skip, ("no server",))
    # Tests and class fixtures are never deduplicated.
    assert not repeated_module_outcome(seen, "addError", ("test", 0), (error,))
    assert not repeated_module_outcome(seen, "addError", ("test", 0), (error,))
    klass = ("other", "setUpClass (app.tests.Tests)")
    assert not repeated_module_outcome(seen, "addError", klass, (error,))
    assert not repeated_module_outcome(seen, "addError", klass, (error,))


class ModuleA(TestCase):
    __test__ = False  # a unit's test for the dispatcher, never run

    def test_a(self):
        pass


def _unit(test_class, module, index, tests=1):
    test_class = type(test_class.__name__ + str(index), (test_class,), {"__module__": module})
    unit = units.Unit([test_class("test_a") for _ in range(tests)], bundled=False)
    unit.index = index
    return unit


def test_a_worker_gets_the_queued_units_of_its_modules_first_so_it_never_comes_back_to_one():
    from nose_speedup.parallel.dispatcher import Dispatcher

    a1, b1, a2, c1, a3 = (
        _unit(ModuleA, module, index)
        for index, module in enumerate(["app.a", "app.b", "app.a", "app.c", "app.a"])
    )
    dispatcher = Dispatcher(None, [a1, b1, a2, c1, a3], workers=None, databases={})
    assert dispatcher.next_unit(None) is a1
    assert dispatcher.next_unit(a1) is a2  # before b1, the head of the queue
    assert dispatcher.next_unit(a2) is a3
    assert dispatcher.next_unit(a3) is b1  # no unit of app.a left: the head
    assert dispatcher.next_unit(b1) is c1


def test_module_affinity_never_takes_a_unit_from_a_later_django_group():
    from nose_speedup.parallel.dispatcher import Dispatcher

    class Transactional(TransactionTestCase):
        def test_a(self):
            pass

    first = _unit(ModuleA, "app.a", 0)
    other = _unit(ModuleA, "app.b", 1)
    later = _unit(Transactional, "app.a", 2)
    dispatcher = Dispatcher(None, [first, other, later], workers=None, databases={})
    assert dispatcher.next_unit(dispatcher.next_unit(None)) is other


def test_the_queue_hands_out_each_unit_once_and_empties():
    a1, b1, a2 = (
        _unit(ModuleA, module, index) for index, module in enumerate(["x.a", "x.b", "x.a"])
    )
    queue = units.UnitQueue([a1, b1, a2])
    handed = [queue.take(None), queue.take(b1), queue.take(a1)]
    assert handed == [a1, b1, a2] and len(queue) == 0 and not queue
