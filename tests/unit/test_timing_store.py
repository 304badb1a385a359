"""The durations file: read, merge, concurrent writers, weights."""

import json
import multiprocessing
import unittest

import pytest

from nose_speedup.timing import store

# No database: the durations file.
pytestmark = pytest.mark.backend_independent


class Named(unittest.TestCase):
    __test__ = False  # an example, not a test of this suite

    def test_a(self):
        pass

    def test_b(self):
        pass

    def test_c(self):
        pass


def _merge_many(path, worker):
    for index in range(30):
        store.merge(path, {"tests": {f"t{worker}.{index}": float(index)}})


def test_missing_and_foreign_files_read_as_empty(tmp_path):
    assert store.read(str(tmp_path / "none.json")) == store.empty()
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"format": 99, "tests": {"x": 1}}))
    assert store.read(str(foreign)) == store.empty()
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert store.read(str(broken)) == store.empty()


def test_merge_replaces_measured_names_and_keeps_the_others(tmp_path):
    path = str(tmp_path / "d" / "durations.json")
    store.merge(path, {"tests": {"a": 1.0, "b": 2.0}, "databases": {"default": {"migrate": 3}}})
    store.merge(path, {"tests": {"b": 5.0, "c": 1.5}})
    durations = store.read(path)
    assert durations["tests"] == {"a": 1.0, "b": 5.0, "c": 1.5}
    assert durations["databases"] == {"default": {"migrate": 3}}


def test_concurrent_merges_lose_nothing(tmp_path):
    path = str(tmp_path / "durations.json")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_merge_many, args=(path, n)) for n in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(store.read(path)["tests"]) == 90


def test_weigh_sums_known_tests_fills_unknown_with_their_mean_and_adds_class_set_up():
    tests = [Named("test_a"), Named("test_b"), Named("test_c")]
    assert store.weigh(store.empty(), tests) is None
    durations = store.empty()
    durations["tests"] = {tests[0].id(): 1.0, tests[1].id(): 3.0}
    durations["classes"] = {store.class_name(Named): 0.5}
    assert store.weigh(durations, tests) == 1.0 + 3.0 + 2.0 + 0.5


def test_entries_that_are_not_seconds_read_as_missing_and_the_file_is_named_once(
    tmp_path, capsys,
):
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps({
        "format": 1,
        "tests": {"a": 1.5, "b": "fast", "c": None, "d": True, "e": [1], "f": -1, "g": 0},
        "classes": {"A": {"seconds": 1}, "B": 0.25},
        "bundles": {"ok": {"seconds": 0.1, "rows": 4}, "bad": {"seconds": "x"}, "worse": 3},
        "databases": {"default": {"build": None}, "other": {"migrate": 2.0}},
    }))
    for _ in range(3):
        durations = store.read(str(path))
    assert durations["tests"] == {"a": 1.5, "g": 0}
    assert durations["classes"] == {"B": 0.25}
    assert durations["bundles"] == {"ok": {"seconds": 0.1, "rows": 4}}
    assert durations["databases"] == {"other": {"migrate": 2.0}}
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    damaged = f"timing plugin: the durations file {path} is damaged: 9 entries are not seconds"
    assert damaged in lines[0]
    assert "tests['b']: \"fast\"" in lines[0] and "read as missing" in lines[0]


def test_nan_and_infinity_read_as_missing(tmp_path):
    path = tmp_path / "nan.json"
    path.write_text('{"format": 1, "tests": {"a": NaN, "b": Infinity, "c": 2}}')
    assert store.read(str(path))["tests"] == {"c": 2}


@pytest.mark.parametrize("text", [
    "[]", '"durations"', "{not json", '{"format": 1, "tests": [1, 2]}', '{"format": "1"}', "",
])
def test_a_file_of_the_wrong_shape_reads_as_empty_in_one_line(tmp_path, capsys, text):
    path = tmp_path / "shape.json"
    path.write_text(text)
    assert store.read(str(path)) == store.empty()
    assert store.read(str(path)) == store.empty()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and f"the durations file {path} is damaged" in lines[0], lines


def test_weigh_and_merge_work_on_a_damaged_file(tmp_path):
    path = str(tmp_path / "durations.json")
    (tmp_path / "durations.json").write_text(json.dumps(
        {"format": 1, "tests": {Named("test_a").id(): "1", Named("test_b").id(): 2.0}}
    ))
    assert store.weigh(store.read(path), [Named("test_a"), Named("test_b")]) == 4.0
    store.merge(path, {"tests": {"x": 1.0}})
    assert json.loads((tmp_path / "durations.json").read_text())["tests"] == {
        Named("test_b").id(): 2.0, "x": 1.0,
    }
