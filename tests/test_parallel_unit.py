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


def test_test_cases_go_first_then_other_django_tests_then_unittest_largest_first():
    made = units.make_units(
        loaded(PlainTests, BigTransactionTests, SmallTests, SimpleTests, MiddleTests), False
    )
    order = [type(unit.tests[0]) for unit in units.schedule(made)]
    assert order == [MiddleTests, SmallTests, BigTransactionTests, SimpleTests, PlainTests]


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

    from nose_speedup.compat import django_compat
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
        django_compat, "destroy_test_db_named", lambda connection, name: dropped.append(name)
    )
    monkeypatch.setattr("django.db.connections", {"default": connection})
    databases = object.__new__(clones.WorkerDatabases)
    databases.made, databases.directory, databases.dropping = made, None, None
    databases.destroy_in_background()
    assert databases.finish() == []
    assert sorted(dropped) == ["test_shop_1", "test_shop_2"]
