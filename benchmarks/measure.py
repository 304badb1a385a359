"""Run one test command on a generated project and measure it.

``run(project, command, backend, db_name)`` runs ``command`` in a subprocess
with the project as working directory and returns a ``Measurement``: wall
time of the whole process (interpreter start, test database set-up, tests,
teardown), the probe's counts (``benchmark_probe/counters.py``), the tests
run and failed as the runner reported them, the exit code, and the CPU
seconds of the runner's processes and of the local database server
(``benchmarks/cpu.py``).
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import cpu

REPO_ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SETTINGS_MODULE = "bench_project.settings"
OUT = Path(__file__).resolve().parent / "out"  # where generated projects go
# The commands every benchmark compares, as arguments of the interpreter.
NOSE2 = ("-m", "nose2", "--plugin", "nose_speedup.plugins.django",
         "--django-settings", SETTINGS_MODULE, "-s", ".", "-t", ".")
DJANGO_TEST = ("manage.py", "test", "--noinput",
               "--testrunner", "django.test.runner.DiscoverRunner")
PG = {"host": "127.0.0.1", "port": "5432", "user": "root"}

UNITTEST_RAN = re.compile(r"^Ran (\d+) tests? in", re.MULTILINE)
UNITTEST_FAILED = re.compile(r"^FAILED \((.*)\)$", re.MULTILINE)
PYTEST_SUMMARY = re.compile(r"(\d+) (passed|failed|errors?|skipped)\b")
SCRUBBED_ENV = ("DJANGO_SETTINGS_MODULE", "REUSE_DB", "PYTHONPATH", "BENCHMARK_COUNTS_FILE")


@dataclass
class Measurement:
    seconds: float
    returncode: int
    counts: dict
    tests: int
    failed: int
    output: str = field(repr=False, default="")
    cpu_seconds: float = 0.0  # the runner's processes
    server_cpu_seconds: float = None  # the local database server's; None: not measured

    @property
    def all_cpu_seconds(self):
        return self.cpu_seconds + (self.server_cpu_seconds or 0.0)

    @property
    def passed(self):
        return self.returncode == 0 and self.failed == 0

    def last_lines(self, count=15):
        return "\n".join(self.output.strip().splitlines()[-count:])


def python_command(*args):
    return [PYTHON, *args]


def environment(project, backend, db_name, extra=None):
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env["PYTHONPATH"] = os.pathsep.join([str(project), str(REPO_ROOT)])
    env["BENCHMARK_DB_BACKEND"] = backend
    env["BENCHMARK_DB_NAME"] = db_name
    env.update(extra or {})
    return env


def parse_tests(output):
    """``(tests run, tests failed or errored)`` from unittest or pytest output."""
    ran = UNITTEST_RAN.findall(output)
    if ran:
        failed = 0
        for summary in UNITTEST_FAILED.findall(output):
            failed += sum(int(n) for n in re.findall(r"(?:failures|errors)=(\d+)", summary))
        return int(ran[-1]), failed
    totals = {}
    summary_lines = [line for line in output.splitlines() if re.search(r" in [\d.]+s", line)]
    for number, kind in PYTEST_SUMMARY.findall(summary_lines[-1] if summary_lines else ""):
        totals[kind.rstrip("s") if kind.startswith("error") else kind] = int(number)
    failed = totals.get("failed", 0) + totals.get("error", 0)
    return totals.get("passed", 0) + failed + totals.get("skipped", 0), failed


def run(project, command, backend, db_name, extra_env=None, timeout=1800):
    handle, counts_file = tempfile.mkstemp(prefix="nsbench-counts-", suffix=".json")
    os.close(handle)
    os.unlink(counts_file)
    extra_env = dict(extra_env or {}, BENCHMARK_COUNTS_FILE=counts_file)
    env = environment(project, backend, db_name, extra_env)
    server_before = cpu.server_seconds(backend)
    cpu_before = cpu.children_seconds()
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=str(project), env=env, capture_output=True, text=True,
                               timeout=timeout, stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    cpu_seconds = cpu.children_seconds() - cpu_before
    server_after = cpu.server_seconds(backend)
    server_cpu = None if None in (server_before, server_after) else server_after - server_before
    counts = {}
    if os.path.exists(counts_file):
        with open(counts_file) as f:
            counts = json.load(f)
        os.unlink(counts_file)
    output = completed.stdout + completed.stderr
    tests, failed = parse_tests(output)
    return Measurement(seconds, completed.returncode, counts, tests, failed, output,
                       cpu_seconds, server_cpu)


def median_of(measurements):
    """One Measurement: the median wall time and counts of the repeats; the
    outcome of the worst repeat (any failure shows)."""
    worst = max(measurements, key=lambda m: (not m.passed, m.failed))
    keys = set().union(*(m.counts for m in measurements))
    counts = {  # breakdowns (dicts) are taken from the first repeat
        key: statistics.median_low([m.counts.get(key, 0) for m in measurements])
        if isinstance(measurements[0].counts.get(key, 0), int) else measurements[0].counts[key]
        for key in sorted(keys)
    }
    servers = [m.server_cpu_seconds for m in measurements]
    return Measurement(statistics.median([m.seconds for m in measurements]), worst.returncode,
                       counts, worst.tests, worst.failed, worst.output,
                       statistics.median([m.cpu_seconds for m in measurements]),
                       None if None in servers else statistics.median(servers))


def psql(sql):
    args = ["psql", "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], "-d", "postgres",
            "-X", "-q", "-t", "-A", "-c", sql]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def drop_databases(prefix="nsbench"):
    """Drop the PostgreSQL databases benchmark runs created (``<prefix>*``,
    ``test_<prefix>*``); return their names."""
    names = psql(
        "SELECT datname FROM pg_database WHERE datname LIKE '{0}%' OR datname LIKE 'test\\_{0}%'"
        .format(prefix)
    ).split()
    for name in names:
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return names
