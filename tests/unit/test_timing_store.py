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
