"""How a module's record entry adds up across processes and parts of a run:
``DependencyTracer.take``/``add`` (a ``--django-parallel`` worker's scopes
into the main process's) and ``record.merge_entry`` (a shard or a label that
ran part of a module)."""

import pytest

from nose_speedup.affected import record, tracer

pytestmark = pytest.mark.backend_independent


def entry(environment, tests, code, reads=None):
    return {"environment": environment, "tests": tests, "code": code, "reads": reads or {}}


def test_a_module_split_across_workers_gets_the_union_of_what_each_saw(tmp_path):
    main, first, second = (tracer.DependencyTracer(tmp_path) for _ in range(3))
    first.code["app.tests"] = {("/p/app/views.py", 3)}
    second.code["app.tests"] = {("/p/app/models.py", 9)}
    second.reads["app.tests"] = {"/p/app/fixtures/a.json"}
    for worker in (first, second):
        main.add(worker.take())
    assert main.code["app.tests"] == {("/p/app/views.py", 3), ("/p/app/models.py", 9)}
    assert main.reads["app.tests"] == {"/p/app/fixtures/a.json"}
    assert first.take() == {}  # taken once: the next message holds only what is new


def test_a_run_of_the_whole_module_replaces_its_entry():
    old = entry("e1", {"m.A.test_a": "failed"}, {"m.py": {"f": "1"}})
    new = entry("e2", {"m.A.test_a": "passed"}, {"n.py": {"g": "2"}})
    assert record.merge_entry(old, new, lambda test_id: True) == new


def test_a_run_of_part_of_a_module_keeps_the_other_parts_tests_and_code():
    old = entry("e1", {"m.A.test_a": "passed"}, {"a.py": {"f": "1"}}, {"a.json": "s"})
    new = entry("e1", {"m.B.test_b": "passed"}, {"b.py": {"g": "2"}})
    merged = record.merge_entry(old, new, lambda test_id: True)
    assert merged["tests"] == {"m.A.test_a": "passed", "m.B.test_b": "passed"}
    assert merged["code"] == {"a.py": {"f": "1"}, "b.py": {"g": "2"}}
    assert merged["reads"] == {"a.json": "s"}


def test_a_unit_that_changed_between_the_parts_never_matches_a_file():
    old = entry("e1", {"m.A.test_a": "passed"}, {"a.py": {"f": "1"}}, {"d.csv": "x"})
    new = entry("e1", {"m.B.test_b": "passed"}, {"a.py": {"f": "2"}}, {"d.csv": "y"})
    merged = record.merge_entry(old, new, lambda test_id: True)
    assert merged["code"]["a.py"]["f"] == record.CHANGED
    assert merged["reads"]["d.csv"] == record.CHANGED


def test_the_other_part_recorded_under_another_environment_counts_as_not_run():
    old = entry("e1", {"m.A.test_a": "passed"}, {})
    new = entry("e2", {"m.B.test_b": "passed"}, {})
    merged = record.merge_entry(old, new, lambda test_id: True)
    assert merged["tests"]["m.A.test_a"] == "not run"


def test_tests_deleted_since_are_dropped_so_the_module_counts_as_run_whole():
    old = entry("e1", {"m.A.test_gone": "failed"}, {"a.py": {"f": "1"}})
    new = entry("e1", {"m.B.test_b": "passed"}, {"b.py": {"g": "2"}})
    assert record.merge_entry(old, new, lambda test_id: False) == new
