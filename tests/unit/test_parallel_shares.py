"""Splitting the bundle that holds up a parallel run (``parallel.shares``),
the queue that never gives a worker a second share of one bundle, and the
one bundling rule shards group by; without a subprocess."""

import unittest
from unittest import mock

import pytest


def configure_django():
    """In-memory SQLite, with the aliases ``tests/unit/test_bundling.py`` needs
    too, whichever of the two configures Django first in a process."""
    import django
    from django.conf import settings

    if not settings.configured:
        sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
        settings.configure(DATABASES={"default": sqlite, "other": dict(sqlite)})
        django.setup()


configure_django()

from django.test import TestCase  # noqa: E402

from nose_speedup import FastFixtureTestCase  # noqa: E402
from nose_speedup.parallel import shares, units  # noqa: E402
from nose_speedup.timing import shards  # noqa: E402

pytestmark = pytest.mark.backend_independent


def bundle_classes(count, tests_per_class=2, prefix="Crowd"):
    made = []
    for number in range(count):
        body = {f"test_{n}": lambda self: None for n in range(tests_per_class)}
        body.update(__module__=f"app.tests.m{number:02d}", __test__=False, fixtures=["people.json"])
        made.append(type(f"{prefix}{number:02d}Tests", (FastFixtureTestCase,), body))
    return made


def loaded_tests(*classes):
    loader = unittest.TestLoader()
    return [test for cls in classes for test in loader.loadTestsFromTestCase(cls)]


def bundle_unit(classes):
    return units.Unit(loaded_tests(*classes), bundled=True, bundle_name="people.json")


def class_unit(test_class):
    return units.Unit(loaded_tests(test_class), bundled=False)


class Alone(TestCase):
    __test__ = False

    def test_a(self):
        pass


def size(unit):
    return float(unit.size)


def test_a_bundle_above_a_fair_share_is_cut_into_contiguous_shares_of_whole_classes():
    crowd = bundle_classes(9)
    made = shares.split([bundle_unit(crowd), class_unit(Alone)], 2, size)
    assert [unit.share for unit in made] == [(1, 2), (2, 2), None]
    first, second = made[0].classes(), made[1].classes()
    assert first + second == crowd  # contiguous, in order, each class in one share
    assert abs(made[0].size - made[1].size) <= 2  # balanced to a class
    assert all(unit.bundle_name == "people.json" for unit in made[:2])


def test_a_bundle_within_a_fair_share_stays_whole():
    small = bundle_classes(2, prefix="Small")
    others = [class_unit(type(f"Alone{n}", (Alone,), {"__module__": "app.x"})) for n in range(5)]
    made = shares.split([bundle_unit(small), *others], 2, size)
    assert made[0].share is None and made[0].classes() == small


def test_never_more_shares_than_workers_or_classes():
    crowd = bundle_classes(3)
    assert len(shares.split([bundle_unit(crowd)], 8, size)) == 3
    assert len(shares.split([bundle_unit(bundle_classes(20))], 4, size)) == 4


def test_recorded_weights_place_the_cut_where_the_seconds_balance():
    crowd = bundle_classes(4)
    durations = {"tests": {}, "classes": {}, "bundles": {}}
    for test in loaded_tests(*crowd):
        durations["tests"][test.id()] = 3.0 if type(test) is crowd[0] else 1.0
    weight = units.recorded_weights([bundle_unit(crowd)], durations)
    made = shares.split([bundle_unit(crowd)], 2, weight, durations)
    assert [unit.classes() for unit in made] == [crowd[:1], crowd[1:]]


def test_a_bundle_whose_excess_is_less_than_one_load_stays_whole():
    crowd = bundle_classes(4)
    durations = {"tests": {}, "classes": {}, "bundles": {"people.json": {"seconds": 5.0}}}
    for test in loaded_tests(*crowd, Alone):
        durations["tests"][test.id()] = 1.0
    unit_list = [bundle_unit(crowd), class_unit(Alone)]
    weight = units.recorded_weights(unit_list, durations)
    assert shares.split(unit_list, 2, weight, durations)[0].share is None


def test_a_worker_gets_no_second_share_of_a_bundle_while_other_units_are_queued():
    from nose_speedup.parallel.dispatcher import Dispatcher

    crowd = bundle_classes(8)
    made = shares.number(shares.split([bundle_unit(crowd)], 3, size))
    assert len(made) == 3
    alone = class_unit(Alone)
    alone.index = 3
    dispatcher = Dispatcher(None, [*made, alone], workers=None, databases={})
    taken = set()
    first = dispatcher.next_unit(None, taken)
    taken.add(first.bundle_name)
    assert first is made[0]
    assert dispatcher.next_unit(first, taken) is alone  # not made[1], though it is the head
    assert dispatcher.next_unit(alone, taken) is made[1]  # nothing else left: taken anyway


def test_shards_group_by_the_one_rule_which_keeps_out_classes_without_transactions():
    crowd = bundle_classes(2)
    tests = loaded_tests(*crowd)
    assert len(shards.make_units(tests)) == 1
    with mock.patch(
        "nose_speedup.compat.django_testcase.missing_transaction_support",
        return_value=["the database has no savepoints"],
    ):
        assert len(shards.make_units(tests)) == 2  # bundling would not bundle them


def test_shards_group_plain_test_cases_by_their_key_when_bundling_takes_them():
    plain = [
        type(f"Plain{n}Tests", (TestCase,), {
            "__module__": "app.plain", "__test__": False, "fixtures": ["people.json"],
            "test_a": lambda self: None,
        })
        for n in range(2)
    ]
    tests = loaded_tests(*plain, *bundle_classes(1))
    assert len(shards.make_units(tests)) == 3
    assert len(shards.make_units(tests, "all")) == 1



class FakeWorker:
    def __init__(self, slot, ready):
        self.slot, self.ready, self.unit, self.finished = slot, ready, None, set()
        self.lane, self.unit_started = f"worker {slot}", None
        self.sent = []
        self.conn = self

    def send(self, message):
        self.sent.append(message)


def test_a_worker_waits_for_a_starting_worker_rather_than_load_a_split_bundle_twice():
    from nose_speedup.parallel.dispatcher import Dispatcher

    made = shares.number(shares.split([bundle_unit(bundle_classes(4))], 2, size))
    first, second = FakeWorker(1, True), FakeWorker(2, False)
    workers = mock.Mock(running={1: first, 2: second})
    dispatcher = Dispatcher(None, made, workers=workers, databases={})
    dispatcher.hand_out(first)
    assert first.unit is made[0]
    dispatcher.hand_out(first)  # only the other share is left, and worker 2 is starting
    assert first.unit is None and first.sent[1:] == []
    second.ready = True
    dispatcher.hand_out(second)
    assert second.unit is made[1]
    assert first.sent[1:] == [None]  # nothing left for it: it ends


def test_a_worker_takes_a_second_share_when_no_other_worker_is_starting():
    from nose_speedup.parallel.dispatcher import Dispatcher

    made = shares.number(shares.split([bundle_unit(bundle_classes(4))], 2, size))
    first, second = FakeWorker(1, True), FakeWorker(2, True)
    workers = mock.Mock(running={1: first, 2: second})
    dispatcher = Dispatcher(None, made, workers=workers, databases={})
    dispatcher.hand_out(first)
    dispatcher.hand_out(first)  # worker 2 is busy elsewhere: no waiting on it
    assert first.unit is made[1]
