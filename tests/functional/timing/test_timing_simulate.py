"""``python -m nose_speedup.timing simulate`` against measured runs of the
``parallel/dominant`` scenario at N = 1 and N = 2.

Robust on a loaded machine: every test sleeps 0.1 s (``NSP_TEST_SLEEP``),
a length no load changes much, and the N = 2 prediction replaying the
seconds the 2-process run recorded per unit is compared with that run's
workers (its tests and classes in the durations file, by the process each
test logged: no better than a perfect split of that work, no worse than its
busiest worker), not with a wall clock: what is checked is the replay of
the split and the hand-out, whatever load the machine had. The N = 1 prediction is compared with the serial run's own
"Ran 40 tests in X s".
"""

import collections
import json
import re
import shutil
import subprocess
import sys

import pytest

from tests.support.nose2run import copy_scenario, remove_copy, run_nose2, scenario_env

PLUGINS = (
    "--plugin", "nose_speedup.plugins.django",
    "--plugin", "nose_speedup.plugins.bundling",
    "--plugin", "nose_speedup.plugins.parallel",
    "--plugin", "nose_speedup.plugins.timing",
    "--with-fixture-bundling",
)
TIMEOUT = 300
ROW = re.compile(r"^\s*(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+(.*)$")


@pytest.fixture
def project():
    path = copy_scenario("parallel/dominant")
    yield path
    remove_copy(path)


def run(project, *args):
    env = {"NSP_TEST_SLEEP": "0.1", "NSP_RAN_LOG": str(project / "ran.log")}
    (project / "ran.log").unlink(missing_ok=True)
    return run_nose2(project, *PLUGINS, *args, env=env, timeout=TIMEOUT)


def simulate(project, *args):
    command = [sys.executable, "-m", "nose_speedup.timing", "simulate", "--workers", "1,2",
               "--cores", "2", "--settings", "crowdsite.settings", *args]
    done = subprocess.run(command, cwd=project, env=scenario_env(project), text=True,
                          capture_output=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {}
    for line in done.stdout.splitlines():
        match = ROW.match(line)
        if match:
            rows[int(match[1])] = {"wall": float(match[2]), "tests": float(match[3]),
                                   "critical": float(match[4]), "loads": int(match[6]),
                                   "split": match[7]}
    assert set(rows) == {1, 2}, done.stdout
    return rows


def busy_per_worker(project):
    """Each process's recorded seconds (tests and class set-ups), by the
    process each class's tests said they ran in."""
    durations = json.loads((project / ".nose-speedup" / "durations.json").read_text())
    process_of = dict(
        reversed(line.split()) for line in (project / "ran.log").read_text().splitlines()
    )
    busy = collections.Counter()
    for test, seconds in durations["tests"].items():
        if test.rsplit(".", 1)[0] in process_of:
            busy[process_of[test.rsplit(".", 1)[0]]] += seconds
    for name, seconds in durations["classes"].items():
        if name in process_of:
            busy[process_of[name]] += seconds
    return busy


def test_prediction_is_within_15_percent_of_the_measured_runs_at_one_and_two_processes(project):
    serial = run(project)
    assert "Ran 40 tests" in serial.output, serial.describe()
    measured_serial = float(re.search(r"Ran 40 tests in ([\d.]+)s", serial.output)[1])
    shutil.copy(project / ".nose-speedup" / "durations.json", project / "serial.json")
    predicted = simulate(project)
    assert predicted[1]["loads"] == 2 and predicted[1]["split"] == "-"
    assert predicted[2]["loads"] == 3 and predicted[2]["split"] == "people.json x2"
    assert abs(predicted[1]["tests"] - measured_serial) <= 0.15 * measured_serial, (
        predicted, serial.output)

    parallel = run(project, "--django-parallel", "2")
    assert "people.json in 2 shares" in parallel.output, parallel.describe()
    busy = busy_per_worker(project)
    assert len(busy) == 2, busy
    measured = max(busy.values())
    # The replay of the split, the hand-out and the loads is what is tested:
    # fed the seconds the 2-process run recorded (what the two processes
    # sharing a server, a disk and the cores made of each unit), the
    # prediction must find that run's busiest worker.
    replayed = simulate(project, "--durations", ".nose-speedup/durations.json",
                        "--contention", "0")
    # The real run's hand-out also depended on when each worker was ready
    # (a worker that a loaded machine starts late takes fewer units), which
    # the replay, starting both together, does not know: its busiest worker
    # lies between a perfect split of the recorded work and the real run's
    # busiest worker, each within 15%.
    balanced = sum(busy.values()) / 2
    assert 0.85 * balanced <= replayed[2]["tests"] <= 1.15 * measured, (replayed, busy)
    # The contention measured between the two runs only ever slows a prediction.
    contended = simulate(project, "--durations", "serial.json", "--parallel-durations",
                         ".nose-speedup/durations.json")
    assert contended[2]["tests"] >= predicted[2]["tests"] * 0.99
    assert contended[1]["tests"] == pytest.approx(predicted[1]["tests"], rel=0.01)
