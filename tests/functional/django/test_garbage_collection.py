"""The django plugin tunes the garbage collector only where no test sees it
(nose_speedup/core/garbage_collection.py): fewer collections while
Django sets up and the test modules import, Python's own thresholds (or the
project's) while tests run, and no last walk of every object at exit unless
``[django] collect-at-exit`` is on.

A probe test module records the thresholds at import and inside its test,
and keeps an object that only a reference cycle keeps alive at exit, whose
``__del__`` writes a file: the interpreter's last collection finalizes it,
a frozen collector (the opt-out) does not. tests/functional/django/test_exit_writes.py holds
the default to Django's runner."""

import json
import subprocess
import sys

import pytest

from tests.support.nose2run import run_nose2
from tests.support.projects import scenario_copy

pytestmark = pytest.mark.backend_independent

PROBE = '''"""Records the collector's thresholds; leaves a cycle alive at exit."""

import gc
import json
import multiprocessing
import os

from django.test import SimpleTestCase

OUT = os.environ["GC_PROBE_FILE"]
AT_IMPORT = gc.get_threshold()
PROCESS = multiprocessing.current_process().name  # MainProcess or a worker's


class OnlyACycleKeepsMeAlive:
    def __init__(self):
        self.me = self

    def __del__(self, open=open, out=f"{OUT}.finalized.{PROCESS}"):
        with open(out, "w") as handle:
            handle.write("finalized")


kept = OnlyACycleKeepsMeAlive()


class CollectorProbeTests(SimpleTestCase):
    def test_records_thresholds(self):
        with open(OUT, "w") as handle:
            json.dump({"import": AT_IMPORT, "test": gc.get_threshold(), "process": PROCESS},
                      handle)


class SecondUnitTests(SimpleTestCase):  # a second unit of work for --django-parallel 2
    def test_nothing(self):
        pass
'''
LABEL = "shelf.tests.test_gc_probe"

project = scenario_copy("django/basic", scope="function")


def run_probe(project, tmp_path, *args):
    (project / "shelf" / "tests" / "test_gc_probe.py").write_text(PROBE)
    out = tmp_path / "probe.json"
    result = run_nose2(
        project, "--plugin", "nose_speedup.plugins.django", "--django-settings", "settings",
        "-s", ".", "-t", ".", *args, LABEL, env={"GC_PROBE_FILE": str(out)},
    )
    assert result.returncode == 0, result.output
    finalized = {path.name.rsplit(".", 1)[1] for path in tmp_path.glob("probe.json.finalized.*")}
    return json.loads(out.read_text()), finalized


def pythons_own_thresholds():
    completed = subprocess.run(
        [sys.executable, "-c", "import gc; print(list(gc.get_threshold()))"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(completed.stdout)


def test_tests_run_with_pythons_thresholds_and_the_set_up_collects_less_often(
    project, tmp_path
):
    thresholds, _ = run_probe(project, tmp_path)
    assert thresholds["test"] == pythons_own_thresholds()
    assert thresholds["import"][0] >= 50_000  # the module imported during the set-up
    assert thresholds["import"][1:] == thresholds["test"][1:]


def test_thresholds_the_project_sets_in_its_settings_are_kept(project, tmp_path):
    settings = project / "settings.py"
    settings.write_text(settings.read_text() + "\nimport gc\ngc.set_threshold(1234, 5, 6)\n")
    thresholds, _ = run_probe(project, tmp_path)
    assert thresholds["test"] == [1234, 5, 6]


def test_an_object_only_a_cycle_keeps_alive_is_finalized_at_exit_unless_opted_out(
    project, tmp_path
):
    _, finalized = run_probe(project, tmp_path)
    assert finalized == {"MainProcess"}  # the interpreter's own last collection ran
    for path in tmp_path.glob("probe.json.finalized.*"):
        path.unlink()
    config = tmp_path / "skip.cfg"
    config.write_text("[django]\ncollect-at-exit = False\n")
    _, finalized = run_probe(project, tmp_path, "-c", str(config))
    assert finalized == set()  # the last collection was skipped: the opt-in trade


PARALLEL = ("--plugin", "nose_speedup.plugins.parallel", "--django-parallel", "2")


def test_parallel_workers_tune_the_collector_as_the_main_process_does(project, tmp_path):
    thresholds, finalized = run_probe(project, tmp_path, *PARALLEL)
    assert thresholds["process"].startswith("nose-speedup-worker-"), thresholds
    assert thresholds["test"] == pythons_own_thresholds()
    assert thresholds["import"][0] >= 50_000  # imported while the worker set Django up
    assert "MainProcess" in finalized and any(
        name.startswith("nose-speedup-worker-") for name in finalized
    ), finalized
    for path in tmp_path.glob("probe.json.finalized.*"):
        path.unlink()
    config = tmp_path / "skip.cfg"
    config.write_text("[django]\ncollect-at-exit = False\n")
    _, finalized = run_probe(project, tmp_path, "-c", str(config), *PARALLEL)
    assert finalized == set()
