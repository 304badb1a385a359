"""``--shard I/N`` on the ``timing/depot`` scenario, run by nose2 (and
``manage.py test``) in a subprocess: the parts are disjoint, together they
are the whole suite, no bundle is split (so fixture loads add up to a full
run's, counted by the ``loadcount`` app's ``loaddata`` log), and the cut
does not depend on the order (``--django-shuffle``), on ``REUSE_DB`` or on
``--django-parallel``. Each shard starts from its own copy of one
durations file, as CI machines restoring one cache do; or, as one CI job
or a developer running the parts in turn, all parts share the project's
file, and the cut frozen by the first part of a round makes them a
partition all the same (issue 20, point 5)."""

from collections import Counter

import pytest

from tests.support.nose2run import run_manage
from tests.support.projects import scenario_copy
from tests.support.timing_runs import durations_file, run_shards, run_timed, shard_config

depot = scenario_copy("timing/depot", scope="function")

# Which tests each part runs is decided before any database exists (the cut
# reads test ids, bundle keys and the durations file): the tests that check
# the cut run on SQLite only in CI; the ones with REUSE_DB, parallel clones
# or manage.py test run on every backend.
cut_only = pytest.mark.backend_independent

BUNDLES = {
    "items.json": {"ItemsOneTests", "ItemsTwoTests", "ItemsThreeTests"},
    "suppliers.json": {"SuppliersOneTests", "SuppliersTwoTests"},
    "both": {"BothOneTests", "BothTwoTests"},
}


def class_of(test_id):
    return test_id.rsplit(".", 2)[1]


def assert_a_partition(full, shards):
    described = "\n".join(run.result.describe() for run in [full, *shards])
    assert full.result.returncode == 0, described
    for run in shards:
        assert run.result.returncode == 0, described
        assert run.shard_line(), described
    parts = [run.test_ids() for run in shards]
    every = [test_id for part in parts for test_id in part]
    assert sorted(every) == sorted(full.test_ids()), described
    assert not [test_id for test_id, n in Counter(every).items() if n > 1], described
    for classes in BUNDLES.values():
        holding = [i for i, part in enumerate(parts) if classes & {class_of(t) for t in part}]
        assert len(holding) == 1, (classes, described)
    loads = Counter(line for run in shards for line in run.fixture_loads)
    assert loads == Counter(full.fixture_loads), described


@cut_only
@pytest.mark.parametrize("count", [2, 3, 4])
def test_shards_without_durations_partition_the_suite_by_test_count(depot, count):
    full = run_timed(depot, "--exclude-plugin", "nose_speedup.plugins.timing")
    shards = run_shards(depot, count, None)
    assert_a_partition(full, shards)
    assert all("weighed by number of tests" in run.shard_line() for run in shards)


@cut_only
def test_shards_after_a_recorded_run_partition_the_suite_by_durations(depot):
    full = run_timed(depot)
    recorded = durations_file(depot)
    shards = run_shards(depot, 4, recorded)
    assert_a_partition(full, shards)
    assert all("weighed by recorded durations" in run.shard_line() for run in shards)


@cut_only
def test_the_cut_is_the_same_whatever_the_order(depot):
    run_timed(depot)
    recorded = durations_file(depot)
    plain = run_shards(depot, 3, recorded)
    shuffled = run_shards(depot, 3, recorded, "--django-shuffle", "7")
    reversed_ = run_shards(depot, 3, recorded, "--django-reverse")
    for a, b, c in zip(plain, shuffled, reversed_):
        assert sorted(a.test_ids()) == sorted(b.test_ids()) == sorted(c.test_ids())
        assert "Using shuffle seed: 7" in b.output


def test_shards_with_reuse_db_and_parallel_run_the_same_tests(depot):
    run_timed(depot)
    recorded = durations_file(depot)
    serial = run_shards(depot, 2, recorded)
    reused = run_shards(depot, 2, recorded, env={"REUSE_DB": "1"})
    parallel = run_shards(depot, 2, recorded, "--django-parallel", "2")
    for a, b, c in zip(serial, reused, parallel):
        for run in (b, c):
            assert run.result.returncode == 0, run.result.describe()
        assert sorted(a.test_ids()) == sorted(b.test_ids()) == sorted(c.test_ids())
        assert Counter(a.fixture_loads) == Counter(b.fixture_loads)


@cut_only
def test_more_shards_than_units_leaves_some_empty_and_still_covers_all(depot):
    full = run_timed(depot, "--exclude-plugin", "nose_speedup.plugins.timing")
    shards = run_shards(depot, 16, None)
    assert sum(len(run.test_ids()) for run in shards) == len(full.test_ids())
    assert any("Shard" in run.output and not run.test_ids() for run in shards)


@cut_only
@pytest.mark.parametrize("value", ["0/3", "4/3", "two/3", "3", "1/0"])
def test_a_bad_shard_is_one_clear_error(depot, value):
    run = run_timed(depot, "--shard", value)
    assert run.result.returncode != 0
    assert f"shards plugin: --shard {value!r} is not a shard; give I/N" in run.output
    assert "Traceback" not in run.output


def test_manage_py_test_shard(depot):
    run_timed(depot)
    cfg = shard_config(depot, 1, durations_file(depot))
    nose2_part = run_timed(depot, "-c", str(cfg), "--shard", "1/2")
    # A fresh copy of the same recorded file: the nose2 run merged into its own.
    shard_config(depot, 2, durations_file(depot)).rename(depot / "unittest.cfg")
    managed = run_manage(depot, "test", "--noinput", "-v", "2", "--shard", "1/2")
    assert managed.returncode == 0, managed.describe()
    assert "Shard 1/2:" in managed.output
    assert sorted(managed.outcomes()) == sorted(nose2_part.result.outcomes())


def run_in_turn(project, count, *args, parts=None):
    """Parts of ``count`` run one after another in one checkout, on the
    project's own durations file (each records into it as it ends)."""
    return [
        run_timed(project, "--shard", f"{index}/{count}", *args,
                  log_name=f"turn-{index}-loads.log")
        for index in (parts or range(1, count + 1))
    ]


@cut_only
@pytest.mark.parametrize("recorded", [False, True], ids=["first-time", "after-a-recorded-run"])
def test_parts_run_one_after_another_in_one_checkout_run_every_test_once(depot, recorded):
    without_timing = [] if recorded else ["--exclude-plugin", "nose_speedup.plugins.timing"]
    full = run_timed(depot, *without_timing)
    assert durations_file(depot).exists() == recorded
    parts = run_in_turn(depot, 3)
    assert_a_partition(full, parts)
    frozen = ".nose-speedup/durations.shards-3.json"
    assert f"new cut frozen in {frozen} until parts 1-3 have run" in parts[0].shard_line()
    assert f"cut frozen in {frozen}, already run: 1)" in parts[1].shard_line()
    assert f"cut frozen in {frozen}, already run: 1, 2)" in parts[2].shard_line()
    how = "recorded durations" if recorded else "number of tests"
    assert all(f"weighed by {how}" in run.shard_line() for run in parts)


@cut_only
def test_a_retried_part_gets_its_tests_again_and_a_new_round_starts_after_all_parts(depot):
    full = run_timed(depot, "--exclude-plugin", "nose_speedup.plugins.timing")
    first, retried, second = run_in_turn(depot, 2, parts=[1, 1, 2])
    assert sorted(retried.test_ids()) == sorted(first.test_ids())
    assert_a_partition(full, [first, second])
    # Every part ran: a new round, cut from what the first round recorded.
    again = run_in_turn(depot, 2)
    assert "new cut frozen" in again[0].shard_line()
    assert all("weighed by recorded durations" in run.shard_line() for run in again)
    assert_a_partition(full, again)


@cut_only
def test_another_set_of_tests_starts_a_new_cut(depot):
    label = "depot.tests.test_fast"
    whole = run_in_turn(depot, 2, parts=[1])
    fast = run_in_turn(depot, 2, label)
    assert "new cut frozen" in whole[0].shard_line()
    assert "new cut frozen" in fast[0].shard_line(), fast[0].output
    labelled = run_timed(depot, label, "--exclude-plugin", "nose_speedup.plugins.timing")
    every = [test_id for run in fast for test_id in run.test_ids()]
    assert sorted(every) == sorted(labelled.test_ids())
    assert len(set(every)) == len(every)
