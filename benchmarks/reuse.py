"""REUSE_DB benchmark: warm start-up cost and correctness on schema changes.

Usage::

    python benchmarks/run.py reuse                 # 220 migrations on PostgreSQL
    python benchmarks/run.py reuse --migrations 300 --repeat 5 --json reuse.json

Part 1 times, on a project with hundreds of migrations, a warm run of a few
tests (one module) against a kept test database under nose2 with
``REUSE_DB=1``, ``manage.py test --keepdb`` and ``pytest --reuse-db``, next
to the bare ``django.setup()`` of the project (the floor any runner pays)
and a run that builds a fresh test database.

Part 2 changes the schema three ways, each starting from a freshly built
baseline database: (a) add a migration, (b) edit the latest migration in
place, (c) remove the latest migration (a branch switch). After each change
``shop/tests/test_change.py`` exercises it: it writes a ``Customer`` using
the new field (a, b) or without the removed one (c), whose stale
``NOT NULL`` column rejects the insert. Each runner passes only if its
database really follows the migrations on disk.
"""

import argparse
import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
import measure  # noqa: E402
import schema  # noqa: E402
from measure import DJANGO_TEST, NOSE2, OUT  # noqa: E402

LABEL = "shop.tests.test_module_01"
QUICK_LABEL = "shop.tests.test_quick"
QUICK_TESTS = 3
CHANGE_LABEL = "shop.tests.test_change"
REUSE_PLUGIN = ("--plugin", "nose_speedup.plugins.reuse_db")
PYTEST = ("-m", "pytest", "-p", "pytest_django", "--ds", measure.SETTINGS_MODULE, "-q")


def label_path(label):
    return label.replace(".", "/") + ".py"


# name: (label in the table, database NAME, command for a test label, environment)
RUNNERS = {
    "bare": ("python -c 'django.setup()'", "nsbench_reuse_bare",
             lambda label: ("-c", "import django; django.setup()"),
             {"DJANGO_SETTINGS_MODULE": measure.SETTINGS_MODULE}),
    "nose2-reuse": ("nose2 REUSE_DB=1 (warm)", "nsbench_reuse_nose2",
                    lambda label: NOSE2 + REUSE_PLUGIN + (label,), {"REUSE_DB": "1"}),
    "keepdb": ("manage.py test --keepdb (warm)", "nsbench_reuse_keepdb",
               lambda label: DJANGO_TEST + ("--keepdb", label), {}),
    "pytest-reuse": ("pytest --reuse-db (warm)", "nsbench_reuse_pytest",
                     lambda label: PYTEST + ("--reuse-db", label_path(label)), {}),
    "django-fresh": ("manage.py test (fresh DB)", "nsbench_reuse_fresh",
                     lambda label: DJANGO_TEST + (label,), {}),
}
CASE_RUNNERS = ["nose2-reuse", "keepdb", "pytest-reuse"]

CHANGE_TEST = '''"""Exercises the schema change of the REUSE_DB benchmark (generated)."""

from {base_module} import {base_name}
from shop.models import Customer


class SchemaChangeTests({base_name}):
    def test_customer_with_changed_schema(self):
        Customer.objects.create(email="changed@example.com", name="Changed"{create})
        self.assertEqual(Customer.objects.filter({lookup}).count(), 1)
'''
QUICK_TEST = '''"""A few tests that load no fixtures: the warm run measures start-up (generated)."""

from {base_module} import {base_name}
from shop.models import Customer


class QuickTests({base_name}):
    def test_creates_a_customer(self):
        Customer.objects.create(email="quick@example.com", name="Quick")
        self.assertTrue(Customer.objects.filter(email="quick@example.com").exists())

    def test_starts_without_rows_of_other_tests(self):
        self.assertFalse(Customer.objects.filter(email="quick@example.com").exists())

    def test_counts_customers(self):
        self.assertEqual(Customer.objects.filter(name="Nobody").count(), 0)
'''
ERROR_LINE = re.compile(r"\b\w+(?:Error|Exception): .+")
NICKNAME = ("nickname", 'models.CharField(max_length=40, default="")')
VIP = ("vip", "models.BooleanField(default=False)")


def run(project, runner, label, env=None):
    name, db_name, command, base_env = RUNNERS[runner]
    return measure.run(project, measure.python_command(*command(label)), "postgresql", db_name,
                       dict(base_env, **(env or {})))


def write_change_test(project, manifest, create, lookup):
    base_module, base_name = manifest["testcase"].rsplit(".", 1)
    (project / label_path(CHANGE_LABEL)).write_text(CHANGE_TEST.format(
        base_module=base_module, base_name=base_name, create=create, lookup=lookup))


def write_shop_models(project, manifest, customer_fields):
    churn = schema.plan_churn(manifest["migrations"])["shop"]
    models = schema.render_models("shop", churn, customer_fields)
    (project / "shop" / "models.py").write_text(models)


def write_quick_test(project, manifest):
    base_module, base_name = manifest["testcase"].rsplit(".", 1)
    (project / label_path(QUICK_LABEL)).write_text(
        QUICK_TEST.format(base_module=base_module, base_name=base_name))


def baseline(project, manifest):
    write_shop_models(project, manifest, [schema.LEGACY_CODE])
    write_change_test(project, manifest, ', legacy_code="L1"', 'legacy_code="L1"')


def add_migration(project, manifest):
    """(a) a new migration adds Customer.nickname."""
    last = manifest["last_shop_migration"]
    name = f"{int(last[:4]) + 1:04d}_customer_nickname"
    operation = schema.add_field_operation("customer", *NICKNAME)
    (project / "shop" / "migrations" / f"{name}.py").write_text(
        schema.render_migration([("shop", last)], [operation]))
    write_shop_models(project, manifest, [schema.LEGACY_CODE, NICKNAME])
    write_change_test(project, manifest, ', nickname="Nick"', 'nickname="Nick"')


def edit_migration(project, manifest):
    """(b) the latest (already applied) migration is edited to add Customer.vip too."""
    path = project / "shop" / "migrations" / f"{manifest['last_shop_migration']}.py"
    head, closing, tail = path.read_text().rpartition("    ]\n")
    path.write_text(head + schema.add_field_operation("customer", *VIP) + closing + tail)
    write_shop_models(project, manifest, [schema.LEGACY_CODE, VIP])
    write_change_test(project, manifest, ", vip=True", "vip=True")


def remove_migration(project, manifest):
    """(c) the latest migration (Customer.legacy_code, NOT NULL) disappears."""
    (project / "shop" / "migrations" / f"{manifest['last_shop_migration']}.py").unlink()
    write_shop_models(project, manifest, [])
    write_change_test(project, manifest, "", 'email="changed@example.com"')


CASES = {
    "a": ("add a migration", add_migration),
    "b": ("edit a migration in place", edit_migration),
    "c": ("remove the latest migration", remove_migration),
}


def snapshot(project):
    files = (project / "shop").rglob("*.py")
    return {p: p.read_bytes() for p in files if "__pycache__" not in p.parts}


def restore(project, files):
    for path in list((project / "shop").rglob("*.py")):
        if "__pycache__" not in path.parts and path not in files:
            path.unlink()
    for path, data in files.items():
        path.write_bytes(data)
    for cache in list((project / "shop").rglob("__pycache__")):
        shutil.rmtree(cache)


def notable_line(result):
    """The line that best explains a run: the error, or the database decision."""
    lines = [line.strip() for line in result.output.splitlines()]
    if not result.passed:
        errors = [m.group(0) for m in map(ERROR_LINE.search, lines) if m]
        return (errors[0] if errors else result.last_lines(1))[:160]
    notes = [line for line in lines if "REUSE_DB" in line or "database" in line.lower()]
    return notes[0][:160] if notes else ""


def timings(project, repeat, label, expected):
    rows = []
    for runner in RUNNERS:
        measure.drop_databases(RUNNERS[runner][1])
    runs = {runner: [] for runner in RUNNERS}
    for round_no in range(repeat + 1):  # round 0 builds the kept databases, untimed
        for runner in RUNNERS:
            print(f"  timing {runner:<14} {label} round {round_no}/{repeat}", file=sys.stderr)
            result = run(project, runner, label)
            if round_no:
                runs[runner].append(result)
    bare = measure.median_of(runs["bare"]).seconds
    for runner, results in runs.items():
        med = measure.median_of(results)
        wanted = 0 if runner == "bare" else expected  # django.setup() runs no tests
        tests_ok = med.passed and med.tests == wanted
        rows.append({"runner": runner, "label": RUNNERS[runner][0], "seconds": med.seconds,
                     "all_seconds": [r.seconds for r in results], "ratio": med.seconds / bare,
                     "counts": med.counts, "tests": med.tests,
                     "outcome": "ok" if tests_ok else f"FAILED/MISMATCH ({med.tests} tests)",
                     "note": notable_line(med)})
    return rows


def cases(project, manifest):
    rows = []
    pristine = snapshot(project)
    for key, (title, apply_change) in CASES.items():
        restore(project, pristine)
        baseline(project, manifest)
        for runner in CASE_RUNNERS:  # build each baseline database afresh
            measure.drop_databases(RUNNERS[runner][1])
            reset = {"REUSE_DB": "reset"} if runner == "nose2-reuse" else {}
            warm = run(project, runner, CHANGE_LABEL, reset)
            if not warm.passed:
                raise SystemExit(
                    f"baseline of case {key} failed under {runner}:\n{warm.last_lines(30)}")
        apply_change(project, manifest)
        for runner in CASE_RUNNERS:
            print(f"  case ({key}) {title}: {runner}", file=sys.stderr)
            result = run(project, runner, CHANGE_LABEL)
            rows.append({
                "case": key, "title": title, "runner": runner, "label": RUNNERS[runner][0],
                "passed": result.passed and result.tests == 1, "seconds": result.seconds,
                "migrate_runs": result.counts.get("migrate_runs"), "note": notable_line(result),
            })
    restore(project, pristine)
    return rows


def format_rows(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in [header] + rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(manifest, repeat, timing_tables, case_rows):
    header = ("runner", "wall s", "x bare setup", "queries", "migrate runs", "tests", "outcome")
    for title, timing_rows in timing_tables:
        print(f"{manifest['migrations']} migrations, PostgreSQL; warm runs of {title}, "
              f"median of {repeat}")
        print(format_rows(header, [
            (r["label"], f"{r['seconds']:.2f}", f"{r['ratio']:.2f}x",
             r["counts"].get("queries", "-"), r["counts"].get("migrate_runs", "-"), r["tests"],
             r["outcome"]) for r in timing_rows
        ]))
        print()
    print(format_rows(("case", "runner", "result", "migrate runs", "note"), [
        (f"({r['case']}) {r['title']}", r["label"].replace(" (warm)", ""),
         "pass" if r["passed"] else "FAIL", r["migrate_runs"], r["note"]) for r in case_rows
    ]))


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="run.py reuse", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(OUT / "reuse"),
                        help="where to generate (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", metavar="PATH",
                        help="also write the results as JSON ('-' = stdout)")
    parser.add_argument("--keep-databases", action="store_true")
    generate.add_options(parser, generate.Options(
        classes=4, tests_per_class=4, fixture_sets=2, objects_per_set=50, migrations=220,
        classes_per_module=2, backend="postgresql", db_name="nsbench_reuse"))
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if importlib.util.find_spec("nose_speedup.plugins.reuse_db") is None:
        print("!!! nose_speedup.plugins.reuse_db is not importable: "
              "skipping nose2 REUSE_DB=1", file=sys.stderr)
        del RUNNERS["nose2-reuse"]
        CASE_RUNNERS.remove("nose2-reuse")
    project = Path(args.out)
    manifest = generate.generate(project, generate.options_from(args))
    baseline(project, manifest)
    write_quick_test(project, manifest)
    expected = manifest["classes_per_module"] * manifest["tests_per_class"]
    try:
        timing_tables = [
            (f"{QUICK_LABEL} ({QUICK_TESTS} tests, no fixtures: start-up cost)",
             timings(project, args.repeat, QUICK_LABEL, QUICK_TESTS)),
            (f"{LABEL} ({expected} tests, each class loading its fixtures)",
             timings(project, args.repeat, LABEL, expected)),
        ]
        case_rows = cases(project, manifest)
    finally:
        if not args.keep_databases:
            measure.drop_databases()
    report(manifest, args.repeat, timing_tables, case_rows)
    timing_rows = [row for _, rows in timing_tables for row in rows]
    if args.json:
        result = {"scenario": manifest, "timings": dict(timing_tables), "cases": case_rows}
        text = json.dumps(result, indent=2)
        sys.stdout.write(text + "\n") if args.json == "-" else Path(args.json).write_text(text)
    return 1 if any(r["outcome"] != "ok" for r in timing_rows) else 0


if __name__ == "__main__":
    sys.exit(main())
