"""A damaged durations file never stops a run (issue 20, point 6): on the
``timing/depot`` scenario, run by nose2 in a subprocess, ``--shard`` and
``--django-parallel`` (which both weigh tests by the file) read a malformed
entry as a test never measured and a file of the wrong shape as no file,
say so in one line naming the file, and run the same tests as with a sound
file. They crashed with ``TypeError`` (``Internal Error: runTests aborted``).
"""

import json
from collections import Counter

import pytest

from tests.support.projects import scenario_copy
from tests.support.timing_runs import (
    durations_file, read_durations, run_shards, run_timed, shard_config,
)

# The file is read before any database exists; the tests' outcomes are the
# scenario's, compared with a run of the same backend.
pytestmark = pytest.mark.backend_independent

depot = scenario_copy("timing/depot", scope="function")

DAMAGED = "timing plugin: the durations file "


def damage(recorded):
    """Spoil some entries of each section the way a hand edit or another
    tool might: a string, null, true, a list, a mapping, a negative number."""
    data = read_durations(recorded)
    tests = sorted(data["tests"])
    for name, bad in zip(tests, ["fast", None, True, [1.0], {"s": 1}, -2]):
        data["tests"][name] = bad
    data["classes"][sorted(data["classes"])[0]] = "0.5"
    data["bundles"][sorted(data["bundles"])[0]] = {"seconds": None}
    data["databases"]["default"] = {"build": "slow"}
    recorded.write_text(json.dumps(data))
    return recorded


def damage_lines(run):
    return [line for line in run.output.splitlines() if line.startswith(DAMAGED)]


def test_damaged_entries_are_read_as_missing_by_shards_and_parallel(depot):
    full = run_timed(depot)
    assert full.result.returncode == 0, full.result.describe()
    recorded = damage(durations_file(depot))
    for args in ((), ("--django-parallel", "2")):
        parts = run_shards(depot, 2, recorded, *args)
        for index, run in enumerate(parts, 1):
            lines = damage_lines(run)
            assert run.result.returncode == 0, run.result.describe()
            assert len(lines) == 1, run.result.describe()
            assert f"shard-{index}-durations.json is damaged: 9 entries are not seconds" in lines[0]
            assert "weighed by recorded durations" in run.shard_line()
            # The run recorded its figures: the file is clean again.
            rewritten = read_durations(depot / f"shard-{index}-durations.json")
            assert all(isinstance(s, float) for s in rewritten["tests"].values())
        every = Counter(test_id for run in parts for test_id in run.test_ids())
        assert sorted(every) == sorted(full.test_ids()) and set(every.values()) == {1}


def test_parallel_run_with_damaged_entries_runs_every_test(depot):
    serial = run_timed(depot)
    damage(durations_file(depot))
    parallel = run_timed(depot, "--django-parallel", "2")
    assert parallel.result.returncode == 0, parallel.result.describe()
    assert len(damage_lines(parallel)) == 1, parallel.result.describe()
    assert sorted(parallel.result.outcomes().items()) == sorted(serial.result.outcomes().items())


@pytest.mark.parametrize("text", [
    "[]", "{not json", '{"format": 1, "tests": [1, 2]}',
    '{"format": 1, "tests": {"depot.tests.test_fast.ItemsOneTests.test_0": {"s": 1}}}',
])
def test_a_file_of_the_wrong_shape_is_read_as_no_file(depot, text):
    recorded = durations_file(depot)
    recorded.parent.mkdir(parents=True, exist_ok=True)
    recorded.write_text(text)
    cfg = shard_config(depot, 1, recorded)
    run = run_timed(depot, "-c", str(cfg), "--shard", "1/2", "--django-parallel", "2")
    assert run.result.returncode == 0, run.result.describe()
    lines = damage_lines(run)
    assert len(lines) == 1, run.result.describe()
    assert "shard-1-durations.json is damaged" in lines[0]
    assert "weighed by number of tests (no durations recorded)" in run.shard_line()
