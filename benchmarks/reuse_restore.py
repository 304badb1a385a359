"""Warm-start benchmark: a kept test database after a clean run and after a
run in which a ``TransactionTestCase`` ran, on each backend.

Usage::

    python benchmarks/run.py restore                        # PostgreSQL, SQLite, MariaDB
    python benchmarks/run.py restore --backends postgresql --repeat 7 --json restore.json
    python benchmarks/run.py restore --backends postgresql --pg-role nsp_reuse_bench

``--pg-role NAME`` runs every runner on PostgreSQL as a role it creates for
the benchmark (``LOGIN CREATEDB``, no superuser) and drops at the end: the
restore after a ``TransactionTestCase`` then disables the tables' user
triggers and defers the foreign keys instead of setting
``session_replication_role``.

On the REUSE_DB benchmark's project (220 migrations, ``--migrations``) it
times, side by side and interleaved round by round, a warm run of three
quick tests (``shop.tests.test_quick``) under nose2 ``REUSE_DB=1`` (also
with the opt-in ``[django] collect-at-exit = False``, which skips the
interpreter's last garbage collection at the risk of lost finalizers),
``manage.py test --keepdb`` and ``pytest --reuse-db``, next to the bare
``django.setup()`` of the project, in two situations:

``after clean``  the previous run of that runner ran only ``TestCase`` tests;
``after TTC``    the previous run (untimed) ran one ``TransactionTestCase``
                 (``shop.tests.test_committing``), whose flush emptied every
                 table and ran ``post_migrate`` again.

Ratios to the bare ``django.setup()`` are taken round by round (each run
next to the bare start of the same round) and their median shown, on wall
time and on the CPU time of the run's processes (steadier on a loaded
machine; the database server's work is only in the wall time). The timed run
includes everything a user waits for: interpreter start,
``django.setup()``, the check that the kept database is as it was marked,
a restore if one is needed, the tests and the tear-down. Django's
``--keepdb`` and pytest-django's ``--reuse-db`` restore nothing (after a
``TransactionTestCase`` their database lacks the rows the build made); the
table shows the nose2 start line, which says what it restored. On SQLite the
settings give the test database a file (``TEST["NAME"]``) so that ``--keepdb``
and ``--reuse-db`` can keep it at all.
"""

import argparse
import json
import os
import resource
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
import measure  # noqa: E402
import reuse  # noqa: E402
from measure import DJANGO_TEST, NOSE2, OUT  # noqa: E402

QUICK_LABEL = reuse.QUICK_LABEL
TTC_LABEL = "shop.tests.test_committing"
BACKENDS = ("postgresql", "sqlite", "mariadb")
TTC_TEST = '''"""One TransactionTestCase: Django flushes every table after it (generated)."""

from django.test import TransactionTestCase

from shop.models import Customer


class CommittingTests(TransactionTestCase):
    def test_commits_a_customer(self):
        Customer.objects.create(email="committed@example.com", name="Committed")
        self.assertEqual(Customer.objects.count(), 1)
'''
SKIP_EXIT_COLLECTION_CONFIG = "skip_exit_collection.cfg"  # written into the project by main()
# name: (label in the table, database NAME, command for a test label, environment)
RUNNERS = {
    "bare": ("python -c 'django.setup()'", "nsbench_restore_bare",
             lambda label: ("-c", "import django; django.setup()"),
             {"DJANGO_SETTINGS_MODULE": measure.SETTINGS_MODULE}),
    "nose2-reuse": ("nose2 REUSE_DB=1", "nsbench_restore_nose2",
                    lambda label: NOSE2 + reuse.REUSE_PLUGIN + (label,), {"REUSE_DB": "1"}),
    # The same without the interpreter's last garbage collection at exit
    # (opt-in, unsafe for finalizers): what that collection costs.
    "nose2-reuse-frozen": ("nose2 REUSE_DB=1, collect-at-exit=False", "nsbench_restore_nose2c",
                           lambda label: NOSE2 + reuse.REUSE_PLUGIN
                           + ("-c", SKIP_EXIT_COLLECTION_CONFIG, label), {"REUSE_DB": "1"}),
    "keepdb": ("manage.py test --keepdb", "nsbench_restore_keepdb",
               lambda label: DJANGO_TEST + ("--keepdb", label), {}),
    "pytest-reuse": ("pytest --reuse-db", "nsbench_restore_pytest",
                     lambda label: reuse.PYTEST + ("--reuse-db", reuse.label_path(label)), {}),
}
SITUATIONS = ("after clean", "after TTC")


def run(project, backend, runner, label):
    """A ``Measurement`` with ``cpu_seconds`` too: the user + system time of
    the run's processes, less disturbed than wall time on a loaded machine
    (the database server's time is not in it)."""
    _, db_name, command, env = RUNNERS[runner]
    env = dict(env, BENCHMARK_SQLITE_TEST_FILE="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = measure.run(project, measure.python_command(*command(label)), backend, db_name, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result.cpu_seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def start_line(result):
    for line in result.output.splitlines():
        if line.startswith(("Reusing test database", "Restoring test database",
                            "Rebuilding test database", "Creating test database")):
            return line
    return ""


def drop(project, backend):
    if backend == "postgresql":
        measure.drop_databases("nsbench_restore")
    elif backend == "sqlite":
        for path in project.glob("*nsbench_restore*.sqlite3"):
            path.unlink()
    else:
        import MySQLdb

        connection = MySQLdb.connect(host="127.0.0.1", port=3306, user="root", password="")
        cursor = connection.cursor()
        cursor.execute("SHOW DATABASES LIKE '%nsbench\\_restore%'")
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP DATABASE `{name}`")
        connection.close()


def timings(project, backend, repeat):
    """``{situation: {runner: [Measurement]}}``, the first round untimed."""
    drop(project, backend)
    found = {situation: {runner: [] for runner in RUNNERS} for situation in SITUATIONS}
    for round_no in range(repeat + 1):
        for situation in SITUATIONS:
            for runner in RUNNERS:
                print(f"  {backend} {situation:<11} {runner:<13} round {round_no}/{repeat}",
                      file=sys.stderr)
                if runner != "bare":
                    label = TTC_LABEL if situation == "after TTC" else QUICK_LABEL
                    before = run(project, backend, runner, label)  # untimed
                    if not before.passed:
                        raise SystemExit(f"{runner} {label} failed:\n{before.last_lines(30)}")
                result = run(project, backend, runner, QUICK_LABEL)
                if round_no:
                    found[situation][runner].append(result)
    return found


def rows_of(found):
    """One row per situation and runner. ``ratio`` is the median of the
    ratios to the bare ``django.setup()`` of the same round (paired, so that
    the load of the moment divides out); ``cpu_ratio`` the same on CPU time."""
    rows = []
    for situation, by_runner in found.items():
        bare = by_runner["bare"]
        for runner, results in by_runner.items():
            med = measure.median_of(results)
            wanted = 0 if runner == "bare" else reuse.QUICK_TESTS
            rows.append({
                "situation": situation, "runner": runner, "label": RUNNERS[runner][0],
                "seconds": med.seconds, "all_seconds": [m.seconds for m in results],
                "ratio": statistics.median(m.seconds / b.seconds for m, b in zip(results, bare)),
                "cpu_seconds": statistics.median(m.cpu_seconds for m in results),
                "cpu_ratio": statistics.median(
                    m.cpu_seconds / b.cpu_seconds for m, b in zip(results, bare)
                ),
                "queries": med.counts.get("queries"),
                "outcome": "ok" if med.passed and med.tests == wanted else "FAILED/MISMATCH",
                "start_line": start_line(results[-1]),
            })
    return rows


def report(backend, manifest, repeat, rows):
    print(f"{backend}, {manifest['migrations']} migrations: warm run of {QUICK_LABEL} "
          f"({reuse.QUICK_TESTS} tests), median of {repeat}")
    header = ("situation", "runner", "wall s", "x bare (wall)", "cpu s", "x bare (cpu)",
              "queries", "outcome")
    print(reuse.format_rows(header, [
        (r["situation"], r["label"], f"{r['seconds']:.2f}", f"{r['ratio']:.2f}x",
         f"{r['cpu_seconds']:.2f}", f"{r['cpu_ratio']:.2f}x",
         r["queries"] if r["queries"] is not None else "-", r["outcome"]) for r in rows
    ]))
    for r in rows:
        if r["runner"].startswith("nose2-reuse"):
            print(f"  nose2 {r['situation']}: {r['start_line'][:200]}")
    print()


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="run.py restore", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(OUT / "restore"),
                        help="where to generate (default %(default)s)")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", metavar="PATH", help="also write the rows as JSON")
    parser.add_argument("--keep-databases", action="store_true")
    parser.add_argument("--pg-role", metavar="NAME",
                        help="run on PostgreSQL as this new role, not a superuser")
    generate.add_options(parser, generate.Options(
        classes=4, tests_per_class=4, fixture_sets=2, objects_per_set=50, migrations=220,
        classes_per_module=2, backend="postgresql", db_name="nsbench_restore"))
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    project = Path(args.out)
    manifest = generate.generate(project, generate.options_from(args))
    reuse.write_quick_test(project, manifest)
    (project / reuse.label_path(TTC_LABEL)).write_text(TTC_TEST)
    (project / SKIP_EXIT_COLLECTION_CONFIG).write_text("[django]\ncollect-at-exit = False\n")
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    results = {}
    if args.pg_role:
        measure.psql(f"DROP ROLE IF EXISTS {args.pg_role}")
        measure.psql(f"CREATE ROLE {args.pg_role} LOGIN CREATEDB NOSUPERUSER")
        os.environ["BENCHMARK_PG_USER"] = args.pg_role
    try:
        for backend in backends:
            try:
                results[backend] = rows_of(timings(project, backend, args.repeat))
            finally:
                if not args.keep_databases or args.pg_role:
                    drop(project, backend)
    finally:
        if args.pg_role:
            del os.environ["BENCHMARK_PG_USER"]
            measure.psql(f"DROP ROLE IF EXISTS {args.pg_role}")
    for backend, rows in results.items():
        report(backend, manifest, args.repeat, rows)
    if args.json:
        Path(args.json).write_text(json.dumps({"scenario": manifest, "rows": results}, indent=2))
    bad = [r for rows in results.values() for r in rows if r["outcome"] != "ok"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
