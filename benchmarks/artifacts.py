"""Artifact benchmark: a fresh machine loads its test database instead of
building it (PostgreSQL).

Usage::

    python benchmarks/run.py artifacts                    # 300 migrations
    python benchmarks/run.py artifacts --repeat 3 --json artifacts.json

On a generated project with ``--migrations`` migrations (default 300), each
round runs, side by side, a few tests (``shop.tests.test_quick``) on a test
database name that does not exist yet:

``manage.py test (fresh DB)``        Django builds the test database;
``nose2 REUSE_DB=1 (build)``         nose-speedup builds and keeps it;
``nose2 REUSE_DB=1 + artifact``      nose-speedup loads it from the artifact
                                     that ``python -m nose_speedup.db save``
                                     wrote after the first build.

Then one migration is added (``Customer.nickname``) and the last line runs
again on fresh names: the artifact is the nearest ancestor, so it is loaded
and only the new migration is applied. Each run's output must say what it
did (built / loaded / loaded then applied 1 new migration) and its tests
must pass, or the row says FAILED. The artifact's size is reported.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
import measure  # noqa: E402
import reuse  # noqa: E402
from measure import DJANGO_TEST, NOSE2, OUT  # noqa: E402

PREFIX = "nsbenchart"
LABEL = reuse.QUICK_LABEL
REUSE_PLUGIN = reuse.REUSE_PLUGIN
DB_COMMAND = ("-m", "nose_speedup.db", "--settings", measure.SETTINGS_MODULE)
CONFIG = "artifact.cfg"


def nose2(project, db_name, artifact=False):
    config = ("-c", CONFIG) if artifact else ()
    return measure.run(project, measure.python_command(*NOSE2, *REUSE_PLUGIN, *config, LABEL),
                       "postgresql", db_name, {"REUSE_DB": "1"})


def row(label, result, expected_text):
    said = expected_text in result.output
    ok = result.passed and result.tests == reuse.QUICK_TESTS and said
    return {"label": label, "seconds": result.seconds, "tests": result.tests,
            "outcome": "ok" if ok else f"FAILED (tests {result.tests}, said: {said})",
            "note": reuse.notable_line(result)}


def rounds(project, repeat, artifact):
    rows = {key: [] for key in ("django", "build", "save", "load")}
    size = None
    for number in range(1, repeat + 1):
        print(f"  round {number}/{repeat}", file=sys.stderr)
        result = measure.run(project, measure.python_command(*DJANGO_TEST, LABEL), "postgresql",
                             f"{PREFIX}_django{number}")
        rows["django"].append(row("manage.py test (fresh DB, builds)", result, "Ran "))
        result = nose2(project, f"{PREFIX}_build{number}")
        rows["build"].append(row("nose2 REUSE_DB=1 (fresh DB, builds)", result,
                                 "it does not exist yet"))
        if number == 1:
            started = time.perf_counter()
            saved = measure.run(project, measure.python_command(*DB_COMMAND, "save", str(artifact)),
                                "postgresql", f"{PREFIX}_build{number}")
            if saved.returncode:
                raise SystemExit(f"save failed:\n{saved.last_lines(10)}")
            rows["save"].append({"label": "python -m nose_speedup.db save",
                                 "seconds": time.perf_counter() - started, "tests": 0,
                                 "outcome": "ok", "note": saved.output.strip()[:160]})
            size = os.path.getsize(artifact)
        result = nose2(project, f"{PREFIX}_load{number}", artifact=True)
        rows["load"].append(row("nose2 REUSE_DB=1 + artifact (fresh DB, loads)", result,
                                "(loaded from artifact built"))
    return rows, size


def ancestor_rounds(project, manifest, repeat):
    reuse.add_migration(project, manifest)
    results = []
    for number in range(1, repeat + 1):
        result = nose2(project, f"{PREFIX}_ancestor{number}", artifact=True)
        results.append(row("nose2 REUSE_DB=1 + artifact, 1 new migration (fresh DB)", result,
                           "then applied 1 new migration"))
    return results


def summary(rows):
    """The rows of one case as one: the median time (the higher middle one of
    an even count), the outcome of a failed row if any."""
    worst = next((r for r in rows if r["outcome"] != "ok"), rows[0])
    return {**worst, "seconds": statistics.median_high(r["seconds"] for r in rows),
            "all_seconds": [round(r["seconds"], 2) for r in rows]}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="run.py artifacts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(OUT / "artifacts"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    generate.add_options(parser, generate.Options(
        classes=4, tests_per_class=4, fixture_sets=2, objects_per_set=50, migrations=300,
        classes_per_module=2, backend="postgresql", db_name=PREFIX))
    args = parser.parse_args(argv)
    project = Path(args.out).resolve()
    manifest = generate.generate(project, generate.options_from(args))
    reuse.baseline(project, manifest)
    reuse.write_quick_test(project, manifest)
    artifact = project.parent / "artifacts-benchmark.artifact"
    (project / CONFIG).write_text(f"[reuse-db]\nartifact = {artifact}\n")
    measure.drop_databases(PREFIX)
    try:
        timed, size = rounds(project, args.repeat, artifact)
        ancestor = ancestor_rounds(project, manifest, args.repeat)
    finally:
        measure.drop_databases(PREFIX)
    table = [summary(rows) for rows in timed.values() if rows] + [summary(ancestor)]
    django = table[0]["seconds"]
    print(f"{manifest['migrations']} migrations, PostgreSQL, {LABEL} ({reuse.QUICK_TESTS} tests) "
          f"on a fresh test database name; median of {args.repeat}; artifact {size / 1e6:.2f} MB")
    print(reuse.format_rows(("run", "wall s", "x Django build", "all s", "outcome"), [
        (r["label"], f"{r['seconds']:.2f}", f"{r['seconds'] / django:.2f}x", r["all_seconds"],
         r["outcome"]) for r in table
    ]))
    if args.json:
        result = {"migrations": manifest["migrations"], "artifact_bytes": size, "rows": table}
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 1 if any(r["outcome"] != "ok" for r in table) else 0


if __name__ == "__main__":
    sys.exit(main())
