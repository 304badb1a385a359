"""Compare test runners on one generated fixture-heavy Django project.

Usage::

    python benchmarks/run.py                       # the goal scenario, SQLite + PostgreSQL
    python benchmarks/run.py --backends postgresql --repeat 5 --json results.json
    python benchmarks/run.py --project benchmarks/out/goal   # reuse a generated project
    python benchmarks/run.py reuse --help          # the REUSE_DB benchmark (reuse.py)
    python benchmarks/run.py restore --help        # warm starts after clean/dirty runs
    python benchmarks/run.py artifacts --help      # loading test databases from artifacts
    python benchmarks/run.py phases --help         # a warm start's CPU, phase by phase

Runs the same suite under Django's DiscoverRunner, pytest-django, nose2 with
the django plugin, and nose2 with fixture bundling, on every backend, each
``--repeat`` times after one untimed warm-up, interleaved; prints one table
of medians. Every run must pass the same number of tests: a failure or a
different count is flagged in the table and makes the exit status 1.
"""

import argparse
import importlib.util
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
import measure  # noqa: E402
from measure import DJANGO_TEST, NOSE2, OUT  # noqa: E402

BUNDLING = ("--plugin", "nose_speedup.plugins.bundling", "--with-fixture-bundling")
# name: (label, python arguments, extra environment, plugin modules needed)
RUNNERS = {
    "django": ("Django DiscoverRunner", DJANGO_TEST, {}, ()),
    "pytest": ("pytest-django", ("-m", "pytest", "-p", "pytest_django", "--ds",
                                 measure.SETTINGS_MODULE, "-q", "--create-db"), {}, ()),
    "nose2": ("nose2 + django plugin", NOSE2, {}, ("nose_speedup.plugins.django",)),
    "nose2-bundling": ("nose2 + bundling", NOSE2 + BUNDLING, {},
                       ("nose_speedup.plugins.django", "nose_speedup.plugins.bundling")),
    # Not run by default: a warm reused database on top of bundling.
    "nose2-bundling-reuse": ("nose2 + bundling + REUSE_DB=1 (warm)",
                             NOSE2 + BUNDLING + ("--plugin", "nose_speedup.plugins.reuse_db"),
                             {"REUSE_DB": "1"},
                             ("nose_speedup.plugins.django", "nose_speedup.plugins.bundling",
                              "nose_speedup.plugins.reuse_db")),
    # Not run by default: two processes, Django's and ours (issue: parallel runs).
    "django-parallel": ("Django DiscoverRunner --parallel 2", DJANGO_TEST + ("--parallel", "2"),
                        {}, ()),
    "nose2-bundling-parallel": ("nose2 + bundling --django-parallel 2",
                                NOSE2 + BUNDLING + ("--plugin", "nose_speedup.plugins.parallel",
                                                    "--django-parallel", "2"),
                                {},
                                ("nose_speedup.plugins.django", "nose_speedup.plugins.bundling",
                                 "nose_speedup.plugins.parallel")),
    # Not run by default: plain django.test.TestCase classes bundled without a code
    # change (generate with --testcase django.test.TestCase).
    "nose2-bundle-testcases": ("nose2 + bundling --bundle-testcases",
                               NOSE2 + BUNDLING + ("--bundle-testcases",), {},
                               ("nose_speedup.plugins.django", "nose_speedup.plugins.bundling")),
    "nose2-bundle-testcases-parallel": (
        "nose2 + bundling --bundle-testcases --django-parallel 2",
        NOSE2 + BUNDLING + ("--bundle-testcases", "--plugin", "nose_speedup.plugins.parallel",
                            "--django-parallel", "2"),
        {},
        ("nose_speedup.plugins.django", "nose_speedup.plugins.bundling",
         "nose_speedup.plugins.parallel"),
    ),
}
DEFAULT_RUNNERS = "django,pytest,nose2,nose2-bundling"
COLUMNS = ("runner", "backend", "wall s", "x django", "cpu s", "cores", "queries", "x django",
           "setup q", "fixture loads", "tests", "outcome")


def missing_modules(runner):
    missing = []
    for module in RUNNERS[runner][3]:
        try:
            if importlib.util.find_spec(module) is None:
                missing.append(module)
        except ImportError:
            missing.append(module)
    return missing


def outcome(result, expected):
    if result.returncode != 0 or result.failed:
        return f"FAILED (exit {result.returncode}, {result.failed} failed)"
    if result.tests != expected:
        return f"MISMATCH ({result.tests} tests, expected {expected})"
    return "ok"


def benchmark(project, runners, backends, repeat, expected):
    """Return a list of row dicts, one per runner and backend."""
    rows = []
    for backend in backends:
        commands = {r: measure.python_command(*RUNNERS[r][1]) for r in runners}
        runs = {r: [] for r in runners}
        for round_no in range(repeat + 1):  # round 0 is the untimed warm-up
            for r in runners:
                print(f"  {backend:<10} {r:<22} round {round_no}/{repeat}", file=sys.stderr)
                # A database per runner: Django's runner must not drop the one REUSE_DB keeps.
                db_name = f"nsbench_{Path(project).name}_{r}".replace("-", "_")
                m = measure.run(project, commands[r], backend, db_name, RUNNERS[r][2])
                if round_no:
                    runs[r].append(m)
                elif not m.passed:
                    print(f"warm-up of {r} on {backend} failed:\n{m.last_lines()}", file=sys.stderr)
        for r in runners:
            med = measure.median_of(runs[r])
            rows.append({
                "runner": r, "label": RUNNERS[r][0], "backend": backend,
                "seconds": med.seconds, "all_seconds": [m.seconds for m in runs[r]],
                "cpu_seconds": med.cpu_seconds, "server_cpu_seconds": med.server_cpu_seconds,
                "all_cpu_seconds": med.all_cpu_seconds,
                "counts": med.counts, "tests": med.tests, "failed": med.failed,
                "returncode": med.returncode, "outcome": outcome(med, expected),
                "command": " ".join(commands[r]),
                "output_tail": None if med.passed else med.last_lines(),
            })
    add_ratios(rows)
    return rows


def add_ratios(rows):
    base = {row["backend"]: row for row in rows if row["runner"] == "django"}
    for row in rows:
        ref = base.get(row["backend"])
        row["time_ratio"] = row["seconds"] / ref["seconds"] if ref else None
        queries = row["counts"].get("queries")
        ref_q = ref["counts"].get("queries") if ref else None
        row["query_ratio"] = queries / ref_q if queries is not None and ref_q else None


def format_table(rows):
    def ratio(value):
        return "-" if value is None else f"{value:.2f}x"

    cells = [COLUMNS] + [(
        row["label"], row["backend"], f"{row['seconds']:.2f}", ratio(row["time_ratio"]),
        f"{row['all_cpu_seconds']:.1f}", f"{row['all_cpu_seconds'] / row['seconds']:.2f}",
        str(row["counts"].get("queries", "?")), ratio(row["query_ratio"]),
        str(row["counts"].get("setup_queries", "?")), str(row["counts"].get("fixture_loads", "?")),
        str(row["tests"]), row["outcome"],
    ) for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["reuse"]:
        import reuse

        return reuse.main(argv[1:])
    if argv[:1] == ["restore"]:
        import reuse_restore

        return reuse_restore.main(argv[1:])
    if argv[:1] == ["artifacts"]:
        import artifacts

        return artifacts.main(argv[1:])
    if argv[:1] == ["phases"]:
        import start_phases

        return start_phases.main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", help="run on this generated project instead of generating one")
    parser.add_argument("--out", default=str(OUT / "goal"),
                        help="where to generate (default %(default)s)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--runners", default=DEFAULT_RUNNERS, help=f"of: {', '.join(RUNNERS)}")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed runs per cell; the median is shown")
    parser.add_argument("--json", metavar="PATH", help="also write the rows as JSON ('-' = stdout)")
    parser.add_argument("--keep-databases", action="store_true",
                        help="leave the test databases on the server")
    generate.add_options(parser)
    args = parser.parse_args(argv)

    runners = [r.strip() for r in args.runners.split(",") if r.strip()]
    for r in runners:
        if r not in RUNNERS:
            parser.error(f"unknown runner {r!r}; choose from {', '.join(RUNNERS)}")
        if missing_modules(r):
            parser.error(f"runner {r!r} needs {', '.join(missing_modules(r))}, "
                         "which is not importable")
    if args.project:
        project = Path(args.project)
        manifest = json.loads((project / "benchmark.json").read_text())
    else:
        project = Path(args.out)
        manifest = generate.generate(project, generate.options_from(args))
    print(f"project {project}: {manifest['classes']} classes x "
          f"{manifest['tests_per_class']} tests, "
          f"{manifest['fixture_sets']} fixture sets x {manifest['objects_per_set']} objects, "
          f"{manifest['migrations']} migrations", file=sys.stderr)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    try:
        rows = benchmark(project, runners, backends, args.repeat, manifest["tests"])
    finally:
        if "postgresql" in backends and not args.keep_databases:
            measure.drop_databases()
    print(format_table(rows))
    if args.json:
        text = json.dumps({"scenario": manifest, "rows": rows}, indent=2)
        sys.stdout.write(text + "\n") if args.json == "-" else Path(args.json).write_text(text)
    bad = [row for row in rows if row["outcome"] != "ok"]
    for row in bad:
        print(f"\n!!! {row['label']} on {row['backend']}: {row['outcome']}\n"
              f"    {row['command']}\n{row['output_tail'] or ''}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
