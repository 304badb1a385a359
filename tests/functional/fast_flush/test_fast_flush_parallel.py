"""The fast flush in the worker processes of --django-parallel: a worker
flushes as the main process would (nose_speedup.plugins.fast_flush), under
the same switch, and the plugin's closing line counts the workers' flushes.

Which classes a worker runs, and in what order, depends on timing, and what
the database holds after a test depends on what ran before it on the same
database (sequences move on; post_migrate's rows come back with new ids).
So the ledger scenario records which process starts each class, and each
worker's classes, in its order, are run again by Django's own runner from a
fresh test database, as the worker started from a fresh copy: after every
test the state (every table's rows, every sequence) and every outcome must
be what Django's runner gives for the same tests in the same order.
"""

import re
from collections import Counter

import pytest

from tests.support.databases import selected_backend
from tests.functional.fast_flush.test_fast_flush import DJANGO_RUNNER, TEARDOWN_ERROR, run_scenario, totals

PARALLEL = ("--plugin", "nose_speedup.plugins.parallel", "--django-parallel", "2")
UNITS_LINE = "parallel: 7 units of work in 2 processes"
WORKER = "nose-speedup-worker-"
# What TransactionTestCase's teardown calls to flush (ledger/state.py records it).
FAST_FLUSH = "nose_speedup.fast_flush.command"
DJANGOS_FLUSH = "django.core.management"
CLASSES = 7


@pytest.fixture(scope="module")
def parallel_fast(tmp_path_factory):
    return run_scenario(tmp_path_factory.mktemp("parallel-fast"), "--fast-flush", *PARALLEL)


def classes_by_process(run):
    """``{process name: [the classes it started, in order]}``."""
    found = {}
    for entry in run.classes:
        found.setdefault(entry["process"], []).append(entry["class"])
    return found


@pytest.fixture(scope="module")
def replays(parallel_fast, tmp_path_factory):
    """``{worker: (its classes, Django's runner on them in that order)}``."""
    return {
        worker: (classes, run_scenario(tmp_path_factory.mktemp("replay"), *DJANGO_RUNNER,
                                       *classes, manage=True))
        for worker, classes in classes_by_process(parallel_fast).items()
    }


def in_classes(description, classes):
    return any(f"({name}." in description or f"({name})" in description for name in classes)


def counts(run):
    """``Counter(ran=15, failures=1, errors=1)`` from the run's totals."""
    ran, verdict = totals(run)
    found = Counter(ran=int(ran.split()[1]))
    found.update({key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", verdict)})
    return found


def test_every_class_ran_once_in_a_worker(parallel_fast):
    assert UNITS_LINE in parallel_fast.result.output, parallel_fast.result.describe()
    started = [entry["class"] for entry in parallel_fast.classes]
    assert len(started) == len(set(started)) == CLASSES, parallel_fast.classes
    assert all(entry["process"].startswith(WORKER) for entry in parallel_fast.classes)


def test_state_after_every_test_in_a_worker_equals_djangos_runner_on_the_same_tests(
    parallel_fast, replays
):
    compared = 0
    for worker, (classes, replay) in replays.items():
        mine = [entry for entry in parallel_fast.states if entry["process"] == worker]
        assert [entry["test"] for entry in mine] == [entry["test"] for entry in replay.states], (
            worker, classes, replay.result.describe())
        for entry, django in zip(mine, replay.states):
            assert entry["state"] == django["state"], (worker, entry["test"], classes)
        compared += len(mine)
    assert compared == len(parallel_fast.states) > 0, parallel_fast.result.describe()


def test_outcomes_equal_djangos_runner_on_each_workers_tests(parallel_fast, replays):
    outcomes = parallel_fast.result.outcomes()
    reference_counts = Counter()
    for worker, (classes, replay) in replays.items():
        mine = {t: o for t, o in outcomes.items()
                if in_classes(t, classes) and TEARDOWN_ERROR not in t}
        # nose2 and Django's runner word a teardown error differently (see
        # tests/functional/fast_flush/test_fast_flush.py): it is compared in the totals.
        reference = {t: o for t, o in replay.result.outcomes().items() if TEARDOWN_ERROR not in t}
        assert mine == reference, (worker, classes, replay.result.describe())
        reference_counts.update(counts(replay))
    assert sum(len(classes) for classes, _ in replays.values()) == CLASSES
    assert counts(parallel_fast) == reference_counts, parallel_fast.result.describe()
    assert parallel_fast.result.returncode == 1  # test_c fails on purpose


@pytest.fixture(scope="module")
def django_serial(tmp_path_factory):
    return run_scenario(tmp_path_factory.mktemp("django-serial"), *DJANGO_RUNNER, manage=True)


def test_each_worker_runs_its_transaction_test_cases_in_djangos_serial_order(
    parallel_fast, django_serial
):
    """What a TransactionTestCase leaves in a worker's database must meet only
    the classes that follow it in Django's serial run: A0SerializedRollbackTests,
    first there, cannot load its serialized content types after a flush made
    them anew (it failed in setUpClass with an IntegrityError when the units
    went longest first)."""
    serial = list(dict.fromkeys(entry["class"] for entry in django_serial.classes))
    assert len(serial) == CLASSES and serial[0].endswith("A0SerializedRollbackTests"), serial
    for worker, classes in classes_by_process(parallel_fast).items():
        assert classes == [name for name in serial if name in classes], (worker, serial)
    serialized = "A0SerializedRollbackTests"
    mine = {t: o for t, o in parallel_fast.result.outcomes().items() if serialized in t}
    reference = {t: o for t, o in django_serial.result.outcomes().items() if serialized in t}
    assert mine == reference and set(reference.values()) == {"ok"}, (
        parallel_fast.result.describe())


def test_workers_flush_fast_and_the_closing_line_counts_their_flushes(parallel_fast):
    states = parallel_fast.states
    assert states and {entry["flush"] for entry in states} == {FAST_FLUSH}, (
        parallel_fast.result.describe())
    summary = parallel_fast.summary()
    rest = summary["rest"]
    fallbacks = re.search(r"Django's flush ran instead (\d+) times", rest)
    assert fallbacks, summary.group(0)
    # One flush per test that ran, all in the workers: fast, or Django's and said why.
    assert int(summary["flushes"]) + int(fallbacks[1]) == len(states), summary.group(0)
    assert 0 < int(summary["emptied"]) < int(summary["listed"]) / 3, summary.group(0)
    assert "3x on 'default': a trigger the flush could fire" in rest, rest
    outside = "a table outside Django's flush list references one in it"
    assert (outside in rest) == (selected_backend() == "postgresql"), rest


def test_without_the_switch_workers_run_djangos_flush(tmp_path):
    run = run_scenario(tmp_path, *PARALLEL)
    assert UNITS_LINE in run.result.output, run.result.describe()
    assert run.states and {entry["flush"] for entry in run.states} == {DJANGOS_FLUSH}
    assert all(entry["process"].startswith(WORKER) for entry in run.states)
    assert "fast-flush:" not in run.result.output


def test_config_always_on_switches_it_on_in_the_workers(tmp_path):
    config = ("[unittest]\nplugins = nose_speedup.plugins.django\n"
              "          nose_speedup.plugins.fast_flush\n"
              "          nose_speedup.plugins.parallel\n\n"
              "[django]\nsettings = settings\nparallel = 2\n\n[fast-flush]\nalways-on = True\n")
    run = run_scenario(tmp_path, config=config)
    assert UNITS_LINE in run.result.output, run.result.describe()
    assert run.states and {entry["flush"] for entry in run.states} == {FAST_FLUSH}
    assert run.summary()


def test_manage_py_test_parallel_flushes_fast_in_the_workers_unless_no_fast_flush(tmp_path):
    on = run_scenario(tmp_path / "on", "test", "--parallel", "2", "--noinput", manage=True)
    off = run_scenario(tmp_path / "off", "test", "--parallel", "2", "--no-fast-flush",
                       "--noinput", manage=True)
    for run, flush in ((on, FAST_FLUSH), (off, DJANGOS_FLUSH)):
        assert UNITS_LINE in run.result.output, run.result.describe()
        assert run.states and {entry["flush"] for entry in run.states} == {flush}
        assert all(entry["process"].startswith(WORKER) for entry in run.states)
    assert on.summary()
    assert "fast-flush:" not in off.result.output
