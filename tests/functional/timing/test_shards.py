"""``--shard I/N`` on the ``timing/depot`` scenario, run by nose2 (and
``manage.py test``) in a subprocess: the parts are disjoint, together they
are the whole suite, no bundle is split (so fixture loads add up to a full
run's, counted by the ``loadcount`` app's ``loaddata`` log), and the cut
does not depend on the order (``--django-shuffle``), on ``REUSE_DB`` or on
``--django-parallel``. Each shard starts from its own copy of one
durations file, as CI machines restoring one cache do."""

from collections import Counter

import pytest

from tests.support.nose2run import run_manage
from tests.support.projects import scenario_copy
from tests.support.timing_runs import durations_file, run_shards, run_timed, shard_config

depot = scenario_copy("timing/depot", scope="function")

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


@pytest.mark.parametrize("count", [2, 3, 4])
def test_shards_without_durations_partition_the_suite_by_test_count(depot, count):
    full = run_timed(depot, "--exclude-plugin", "nose_speedup.plugins.timing")
    shards = run_shards(depot, count, None)
    assert_a_partition(full, shards)
    assert all("weighed by number of tests" in run.shard_line() for run in shards)


def test_shards_after_a_recorded_run_partition_the_suite_by_durations(depot):
    full = run_timed(depot)
    recorded = durations_file(depot)
    shards = run_shards(depot, 4, recorded)
    assert_a_partition(full, shards)
    assert all("weighed by recorded durations" in run.shard_line() for run in shards)


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


def test_more_shards_than_units_leaves_some_empty_and_still_covers_all(depot):
    full = run_timed(depot, "--exclude-plugin", "nose_speedup.plugins.timing")
    shards = run_shards(depot, 16, None)
    assert sum(len(run.test_ids()) for run in shards) == len(full.test_ids())
    assert any("Shard" in run.output and not run.test_ids() for run in shards)


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
