"""The timing package's pure parts: the shard cut, the test clock, the
durations file's per-phase merge and the merge command, and the "saved" line
of bundles that ran in other processes."""

import json
import pickle
import subprocess
import sys
import unittest

import pytest

from nose_speedup.errors import ConfigurationError
from nose_speedup.timing import clock, shards, store


def make_class(name, count):
    methods = {f"test_{i}": lambda self: None for i in range(count)}
    cls = type(name, (unittest.TestCase,), {"__test__": False, **methods})
    cls.__module__ = "example"
    return cls


def cases_of(*classes):
    return [cls(name) for cls in classes for name in sorted(dir(cls)) if name.startswith("test_")]


CLASSES = [make_class(f"C{i}", count) for i, count in enumerate([5, 4, 3, 3, 2, 2, 1, 1])]
ALL = cases_of(*CLASSES)
IDS = {test.id() for test in ALL}


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 12])
def test_shards_are_disjoint_and_cover_every_test(count):
    parts = [shards.select(ALL, i, count, store.empty()) for i in range(1, count + 1)]
    assert sum(len(part) for part in parts) == len(IDS)
    assert set().union(*parts) == IDS


def test_a_class_is_never_split():
    parts = [shards.select(ALL, i, 3, store.empty()) for i in range(1, 4)]
    for cls in CLASSES:
        ids = {test.id() for test in cases_of(cls)}
        assert sum(1 for part in parts if ids & part) == 1


def test_the_cut_does_not_depend_on_the_order():
    reversed_tests = list(reversed(ALL))
    for i in range(1, 4):
        assert shards.select(ALL, i, 3, store.empty()) == shards.select(
            reversed_tests, i, 3, store.empty()
        )


def test_without_durations_shards_balance_test_counts_longest_first():
    # 21 tests, units 5,4,3,3,2,2,1,1 onto 3 shards greedily: 7, 7, 7.
    sizes = sorted(len(shards.select(ALL, i, 3, store.empty())) for i in range(1, 4))
    assert sizes == [7, 7, 7]


def test_recorded_durations_outweigh_test_counts():
    durations = store.empty()
    for test in ALL:
        durations["tests"][test.id()] = 10.0 if type(test).__name__ == "C7" else 0.01
    part = shards.select(ALL, 1, 2, durations)
    assert part == {test.id() for test in cases_of(CLASSES[7])}  # the one slow class alone


def test_unknown_tests_weigh_the_mean_of_known_ones():
    durations = store.empty()
    durations["tests"][ALL[0].id()] = 1.0
    weights = shards.weights(shards.make_units(ALL), durations)
    assert weights[0] == pytest.approx(1.0 * 5)  # C0: 1 known + 4 at the mean (1.0)
    assert weights[-1] == pytest.approx(1.0)


@pytest.mark.parametrize("text", ["0/2", "3/2", "x/2", "2", "", "1/2/3"])
def test_bad_shard_values_are_refused(text):
    with pytest.raises(ConfigurationError, match="is not a shard; give I/N"):
        shards.parse(text)


def test_clock_gives_gaps_to_classes_and_replaced_figures_win():
    timer = clock.TestClock()
    first, second = cases_of(CLASSES[6], CLASSES[7])
    timer.start_run()
    for test in (first, second):
        timer.start_test(test)
        timer.stop_test(test)
    timer.stop_run()
    assert set(timer.tests) == {first.id(), second.id()}
    assert set(timer.classes) == {"example.C6", "example.C7"}
    timer.replace({"tests": {first.id(): 5.0}, "classes": {"example.C6": 2.0}})
    assert timer.tests[first.id()] == 5.0 and timer.classes["example.C6"] == 2.0


@pytest.mark.backend_independent
def test_the_saved_line_adds_up_the_bundles_other_processes_sent():
    from nose_speedup.bundling.bundle import BundleFigures
    from nose_speedup.bundling.plan import CountedRun
    from nose_speedup.timing import recorder, report

    sent = [  # as two workers pickle them: name, classes, loads, load seconds, rows, reloads
        BundleFigures("items.json", 3, 1, 0.5, 4, 0),
        BundleFigures("suppliers.json", 2, 2, 0.25, 3, 1),
        BundleFigures("extra.json", 0, 0, 0.0, 0, 0),  # its classes were skipped
    ]
    record = recorder.Recorder()
    record.bundled_runs.append(CountedRun(pickle.loads(pickle.dumps(sent))))
    assert report.saved_line(record, {}) == (
        "nose-speedup: 5 classes in 2 bundles; fixtures loaded 3 times instead of 5 "
        "(~1.0 s saved) (1 again after a test closed the connection)"
    )
    assert record.served()["suppliers.json"] == {
        "seconds": 0.125, "rows": 3, "loads": 2, "classes": 2,
    }


def test_database_phases_merge_one_by_one(tmp_path):
    path = str(tmp_path / "d.json")
    store.merge(path, {"databases": {"default": {"build": 9.0, "create": 1.0}}})
    merged = store.merge(path, {"databases": {"default": {"reuse-check": 0.1}}})
    assert merged["databases"]["default"] == {"build": 9.0, "create": 1.0, "reuse-check": 0.1}


def test_merge_command_merges_shard_files(tmp_path):
    for index in (1, 2):
        store.merge(str(tmp_path / f"s{index}.json"), {"tests": {f"t{index}": 1.0}})
    target = tmp_path / "all.json"
    subprocess.run(
        [sys.executable, "-m", "nose_speedup.timing", "merge", str(target),
         str(tmp_path / "s1.json"), str(tmp_path / "s2.json")],
        check=True, capture_output=True,
    )
    assert set(json.loads(target.read_text())["tests"]) == {"t1", "t2"}
