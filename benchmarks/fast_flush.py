"""Fast-flush benchmark: TransactionTestCase tests on a wide schema, under
Django's runner, nose2, and nose2 with the fast flush, side by side.

Generates ``benchmarks/out/fast_flush``: the app ``wide`` with ``--tables``
models (default 200; every fifth has a foreign key to the one before), plus
``contenttypes`` and ``auth`` (whose ``post_migrate`` handlers refill their
tables after each flush, as in a real project), and ``--tests``
``TransactionTestCase`` tests (default 100, ten per class). Each test writes
rows into three tables and asserts they are the only rows there, so a flush
that left rows behind fails the next test that writes to those tables.

Runners (``--runners``, default ``django,nose2-fast-flush``; each run
``--repeat`` times, interleaved round by round, after ``--warm-up`` untimed
rounds, default 0: the timed figure excludes start-up; medians shown):

``django``
    ``manage.py test --noinput --testrunner django.test.runner.DiscoverRunner``
``nose2`` (not in the default list: Django's flush under nose2)
    ``python -m nose2 --plugin nose_speedup.plugins.django ...``
``nose2-fast-flush``
    the same plus ``--plugin nose_speedup.plugins.fast_flush --fast-flush``

``tests s`` is the time the runner itself reports for the tests (``Ran 100
tests in X s``: the TransactionTestCase tests with their flushes, no
database set-up), ``wall s`` the whole process; ``x django`` is the ratio of
``tests s`` to Django's runner's. Outcomes (tests run, failed) must be equal
in every row, or the script exits 1.

The PostgreSQL server is the one on 127.0.0.1:5432 (the machine's durable
server: the script prints its ``fsync`` and ``synchronous_commit``, on which a
``TRUNCATE``'s cost depends); the 1-minute load average before and after the
runs is printed too, so that a figure taken on a loaded box says so.

Issue 22 point 6's project (200 tables with contenttypes and auth, 40
``TransactionTestCase`` tests), to be run on an idle box::

    python benchmarks/fast_flush.py --tests 40 --repeat 3

Usage::

    python benchmarks/fast_flush.py                       # PostgreSQL
    python benchmarks/fast_flush.py --backends sqlite,postgresql,mariadb
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
from measure import DJANGO_TEST, NOSE2, OUT  # noqa: E402

RUNNERS = {
    "django": DJANGO_TEST,
    "nose2": NOSE2,
    "nose2-fast-flush": (*NOSE2, "--plugin", "nose_speedup.plugins.fast_flush", "--fast-flush"),
}
TESTS_TIME = re.compile(r"^Ran \d+ tests? in ([\d.]+)s", re.MULTILINE)
DB_NAME = "nsbench_flush"

SETTINGS = '''"""Settings of the generated fast-flush benchmark project."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "benchmark-only-not-secret"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "wide"]
_BACKEND = os.environ.get("BENCHMARK_DB_BACKEND", "postgresql")
_NAME = os.environ.get("BENCHMARK_DB_NAME", "nsbench_flush")
if _BACKEND == "postgresql":
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": _NAME,
                             "HOST": "127.0.0.1", "PORT": "5432", "USER": "root"}}
elif _BACKEND == "mariadb":
    DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "NAME": _NAME,
                             "HOST": "127.0.0.1", "PORT": "3306", "USER": "root",
                             "OPTIONS": {"charset": "utf8mb4"}}}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                             "NAME": BASE_DIR / f"{_NAME}.sqlite3"}}
'''
MANAGE = '''import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_project.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
'''
TEST_CLASS = '''

class Flush{index}Tests(TransactionTestCase):
{methods}'''
TEST_METHOD = '''    def test_{number:03d}(self):
        first = models.Table{a:03d}.objects.create(name="a")
        models.Table{b:03d}.objects.create(name="b")
        models.Table{c:03d}.objects.create(name="c")
        self.assertEqual(models.Table{a:03d}.objects.get().pk, first.pk)
        self.assertEqual(models.Table{b:03d}.objects.count(), 1)
        self.assertEqual(models.Table{c:03d}.objects.count(), 1)
'''


def model_source(index):
    fields = '    name = models.CharField(max_length=20)\n    value = models.IntegerField(default=0)\n'
    if index % 5 == 4:
        fields += (f'    parent = models.ForeignKey("Table{index - 1:03d}", models.CASCADE, '
                   'null=True)\n')
    return f"\n\nclass Table{index:03d}(models.Model):\n{fields}"


def generate(root, tables, tests):
    """Write the project (models, tests, and its migration via makemigrations)."""
    (root / "bench_project").mkdir(parents=True)
    (root / "bench_project" / "__init__.py").write_text("")
    (root / "bench_project" / "settings.py").write_text(SETTINGS)
    (root / "manage.py").write_text(MANAGE)
    app = root / "wide"
    (app / "migrations").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "migrations" / "__init__.py").write_text("")
    (app / "models.py").write_text(
        "from django.db import models\n" + "".join(model_source(i) for i in range(tables))
    )
    classes = []
    for start in range(0, tests, 10):
        methods = "\n".join(
            TEST_METHOD.format(number=n, a=(3 * n) % tables, b=(3 * n + 1) % tables,
                               c=(3 * n + 2) % tables)
            for n in range(start, min(start + 10, tests))
        )
        classes.append(TEST_CLASS.format(index=start // 10, methods=methods))
    (app / "tests.py").write_text(
        "from django.test import TransactionTestCase\n\nfrom wide import models\n"
        + "".join(classes)
    )
    subprocess.run([sys.executable, "manage.py", "makemigrations", "wide", "-v", "0"],
                   cwd=root, check=True, env=measure.environment(root, "sqlite", DB_NAME))


def postgresql_server():
    """``127.0.0.1:5432 fsync=on synchronous_commit=on`` (what a TRUNCATE's
    commit waits for)."""
    settings = " ".join(f"{name}={measure.psql(f'SHOW {name}').strip()}"
                        for name in ("fsync", "synchronous_commit", "full_page_writes"))
    return f"{measure.PG['host']}:{measure.PG['port']} {settings}"


def load_average():
    return f"{os.getloadavg()[0]:.2f}"


# Per flush, under cProfile (--profile): where each runner's flush time goes.
PROFILED = {
    "probe": ("nose_speedup/vendors/probe_base.py", "probe"),
    "table list": ("django/db/backends/base/introspection.py", "django_table_names"),
    "emptying": ("django/db/backends/base/operations.py", "execute_sql_flush"),
    "post_migrate": ("django/core/management/sql.py", "emit_post_migrate_signal"),
}


def profile(project, backend, name):
    """``{part: seconds per flush}`` of one run of ``name`` under cProfile."""
    import pstats
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "profile"
        command = measure.python_command("-m", "cProfile", "-o", str(output),
                                         *RUNNERS[name])
        measure.run(project, command, backend, DB_NAME)
        stats = pstats.Stats(str(output)).stats
    flushes = sum(calls for (path, _, function), (calls, *_rest) in stats.items()
                  if function == "_fixture_teardown" and path.endswith("testcases.py"))
    parts = {}
    for part, (suffix, function) in PROFILED.items():
        seconds = sum(entry[3] for (path, _, name_), entry in stats.items()
                      if path.endswith(suffix) and name_ == function)
        parts[part] = seconds / flushes if flushes else float("nan")
    return parts


def tests_seconds(measurement):
    found = TESTS_TIME.findall(measurement.output)
    return float(found[-1]) if found else float("nan")


def bench(project, backend, runners, repeat, warm_up):
    results = {name: [] for name in runners}
    for round_number in range(warm_up + repeat):
        for name in runners:
            command = measure.python_command(*RUNNERS[name])
            measurement = measure.run(project, command, backend, DB_NAME)
            if round_number >= warm_up:
                results[name].append(measurement)
    rows = []
    for name, measurements in results.items():
        worst = max(measurements, key=lambda m: (not m.passed, m.failed))
        rows.append({
            "runner": name, "backend": backend,
            "tests_s": statistics.median(tests_seconds(m) for m in measurements),
            "wall_s": statistics.median(m.seconds for m in measurements),
            "tests": worst.tests, "failed": worst.failed, "returncode": worst.returncode,
            "summary": next((line for line in worst.output.splitlines()
                             if line.startswith("fast-flush:")), ""),
            "tail": worst.last_lines(),
        })
    django = rows[0]["tests_s"]
    for row in rows:
        row["ratio"] = row["tests_s"] / django
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="postgresql")
    parser.add_argument("--tables", type=int, default=200)
    parser.add_argument("--tests", type=int, default=100)
    parser.add_argument("--runners", default="django,nose2-fast-flush")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warm-up", type=int, default=0)
    parser.add_argument("--profile", action="store_true",
                        help="one more run of each runner under cProfile: seconds per flush "
                             "in the probe, the table list, emptying, post_migrate")
    options = parser.parse_args(argv)
    runners = options.runners.split(",")
    unknown = sorted(set(runners) - set(RUNNERS))
    if unknown or runners[0] != "django":
        parser.error(f"--runners: start with django, then any of {', '.join(RUNNERS)} "
                     f"(unknown: {', '.join(unknown) or 'none'})")
    project = OUT / "fast_flush"
    if project.exists():
        import shutil

        shutil.rmtree(project)
    generate(project, options.tables, options.tests)
    rows = []
    load_before = load_average()
    profiles = []
    try:
        for backend in options.backends.split(","):
            rows += bench(project, backend, runners, options.repeat, options.warm_up)
            if options.profile:
                profiles += [(backend, name, profile(project, backend, name))
                             for name in runners]
    finally:
        if "postgresql" in options.backends:
            measure.drop_databases(DB_NAME)
    print(f"{options.tests} TransactionTestCase tests, {options.tables} tables + contenttypes/"
          f"auth; medians of {options.repeat} interleaved rounds; 1-minute load average "
          f"{load_before} before, {load_average()} after")
    if "postgresql" in options.backends:
        print(f"PostgreSQL server: {postgresql_server()}")
    print(f"{'backend':<11} {'runner':<17} {'tests s':>8} {'x django':>9} {'wall s':>7} "
          f"{'ran':>4} {'failed':>6}")
    for row in rows:
        print(f"{row['backend']:<11} {row['runner']:<17} {row['tests_s']:>8.2f} "
              f"{row['ratio']:>9.2f} {row['wall_s']:>7.2f} {row['tests']:>4} {row['failed']:>6}")
    for row in rows:
        if row["summary"]:
            print(f"{row['backend']}: {row['summary']}")
    for backend, name, parts in profiles:
        print(f"{backend} {name} per flush under cProfile: " + ", ".join(
            f"{part} {seconds * 1000:.1f} ms" for part, seconds in parts.items()))
    by_backend = {}
    for row in rows:
        by_backend.setdefault(row["backend"], set()).add((row["tests"], row["failed"],
                                                          row["returncode"]))
    unequal = [backend for backend, outcomes in by_backend.items() if len(outcomes) != 1]
    failing = [row for row in rows if row["failed"] or row["returncode"] or not row["tests"]]
    for row in failing:
        print(f"\n{row['backend']} {row['runner']} did not pass:\n{row['tail']}")
    if unequal or failing:
        print(f"outcomes differ or fail on: {', '.join(unequal) or 'see above'}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
