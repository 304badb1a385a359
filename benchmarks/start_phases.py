"""Where a warm ``REUSE_DB=1`` start spends its CPU, phase by phase.

Usage::

    python benchmarks/run.py restore --backends postgresql --keep-databases  # makes the project
    python benchmarks/run.py phases --project benchmarks/out/restore --repeat 5

Runs the restore benchmark's warm nose2 command (``shop.tests.test_quick``
under ``REUSE_DB=1``, on a database of its own, built by one untimed run)
with this module loaded as a nose2 plugin, which notes the process's CPU
time at each step, and a bare ``django.setup()`` process next to it. The
interpreter's exit (its finalization and last garbage collection, which
``[django] collect-at-exit = False`` skips at the risk of finalizers never
run) is the process's total CPU time less the time at the last ``atexit``
handler. CPU time, not wall time: steadier on a loaded machine (the database
server's work is not in it). Medians of ``--repeat`` runs.
"""

import argparse
import atexit
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

from nose2.events import Plugin

PHASES = (
    ("nose2 and the plugins imported", "handleArgs"),
    ("django.setup(), labels checked, test modules imported", "loadTestsFromNames"),
    ("test databases checked (REUSE_DB), system checks", "startTestRun"),
    ("tests, test databases handed back", "afterTestRun"),
    ("atexit handlers", "atexit"),
)
DB_NAME = "nsbench_phases"


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


_marks = {}


def _mark(step):
    _marks.setdefault(step, cpu())


def _report():
    _mark("atexit")
    print("PHASES " + " ".join(f"{step}={seconds:.4f}" for step, seconds in _marks.items()),
          file=sys.stderr)


class StartPhases(Plugin):
    """Notes the CPU time at each step of the run (loaded only by ``main``)."""

    alwaysOn = True

    def __init__(self):
        atexit.register(_report)  # registered first among ours: it runs last

    def handleArgs(self, event):
        _mark("handleArgs")

    def loadTestsFromNames(self, event):
        _mark("loadTestsFromNames")

    def startTestRun(self, event):
        _mark("startTestRun")

    def afterTestRun(self, event):
        _mark("afterTestRun")


def run(project, *args, env=None):
    """``(marks, total CPU seconds)`` of one ``python ARGS`` process."""
    import measure

    environment = measure.environment(project, "postgresql", DB_NAME, env)
    environment["PYTHONPATH"] += os.pathsep + str(Path(__file__).resolve().parent)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run([sys.executable, *args], cwd=project, env=environment,
                               capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    marks = {}
    for line in completed.stderr.splitlines():
        if line.startswith("PHASES "):
            marks = {k: float(v) for k, v in (item.split("=") for item in line.split()[1:])}
    return marks, total


def main(argv=None):
    import measure
    import reuse

    parser = argparse.ArgumentParser(prog="run.py phases", description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", default=str(measure.OUT / "restore"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    project = Path(args.project)
    nose2 = (*measure.NOSE2, *reuse.REUSE_PLUGIN, "--plugin", "start_phases",
             "shop.tests.test_quick")
    bare = ("-c", "import django; django.setup()")
    try:
        run(project, *nose2, env={"REUSE_DB": "1"})  # builds the database: untimed
        rows, bares = [], []
        for _ in range(args.repeat):
            rows.append(run(project, *nose2, env={"REUSE_DB": "1"}))
            settings = {"DJANGO_SETTINGS_MODULE": measure.SETTINGS_MODULE}
            bares.append(run(project, *bare, env=settings)[1])
    finally:
        measure.drop_databases(DB_NAME)
    previous = 0.0
    print(f"warm REUSE_DB=1 start, PostgreSQL, CPU seconds, median of {args.repeat}")
    for label, step in PHASES:
        at = statistics.median(marks[step] for marks, _ in rows)
        print(f"  {at - previous:6.3f}  {label}")
        previous = at
    total = statistics.median(total for _, total in rows)
    print(f"  {total - previous:6.3f}  the interpreter's exit (finalization, last collection)")
    print(f"  {total:6.3f}  whole run; bare django.setup() process {statistics.median(bares):.3f}"
          f" ({total / statistics.median(bares):.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
