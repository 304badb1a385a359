"""Where the time of one ``.ci/run`` database run goes: the own test files, one by one.

Usage::

    python benchmarks/ci_time.py                          # every test file, SQLite
    python benchmarks/ci_time.py --backend postgresql tests/functional/timing/test_shards.py
    python benchmarks/ci_time.py --cold-bytecode ...      # as before the session's bytecode

Runs each file with ``pytest -n 0`` (serially, so the figures add up) and
prints its wall time and its CPU time (user + system of pytest and of every
scenario subprocess it waited for), slowest first, then the totals and the
least a run on all cores could take (CPU / cores). On a loaded machine the
wall time measures the load; the CPU time is what the suite costs. Compare
two variants by running them interleaved, on the same load.

``--cold-bytecode`` removes the repository's ``__pycache__`` directories
before each file and turns off their compilation at session start
(``NOSE_SPEEDUP_TESTS_PRECOMPILE=0``): every scenario subprocess then
compiles the repository's code it imports, as before that change.
"""

import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def remove_bytecode():
    for name in ("nose_speedup", "tests"):
        for directory in (REPO_ROOT / name).rglob("__pycache__"):
            shutil.rmtree(directory, ignore_errors=True)


def time_file(path, backend, cold):
    env = dict(os.environ, NOSE_SPEEDUP_TEST_DB=backend, PYTHONPATH=str(REPO_ROOT))
    if cold:
        remove_bytecode()
        env["NOSE_SPEEDUP_TESTS_PRECOMPILE"] = "0"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", str(path), "-n", "0", "-q", "-p", "no:randomly"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True,
        # Started in the background (``&``), a shell ignores SIGINT in its
        # children; the tests that interrupt a run with it need it back.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    last = (completed.stdout.strip().splitlines() or ["(no output)"])[-1]
    return wall, cpu, last


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "files", nargs="*",
        help="test files (default: every tests/unit/ and tests/functional/ test_*.py)",
    )
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql", "mariadb"])
    parser.add_argument("--cold-bytecode", action="store_true")
    args = parser.parse_args(argv)
    files = args.files or sorted(
        str(path.relative_to(REPO_ROOT)) for path in REPO_ROOT.glob("tests/**/test_*.py")
        if path.relative_to(REPO_ROOT).parts[1] in ("unit", "functional")
    )
    rows = []
    for path in files:
        wall, cpu, last = time_file(path, args.backend, args.cold_bytecode)
        rows.append((path, wall, cpu, last))
        print(f"{path}: {wall:.1f} s wall, {cpu:.1f} s CPU ({last})", flush=True)
    print(f"\n{'file':45s} {'wall s':>8s} {'CPU s':>8s}")
    for path, wall, cpu, _ in sorted(rows, key=lambda row: -row[2]):
        print(f"{path:45s} {wall:8.1f} {cpu:8.1f}")
    total_wall = sum(row[1] for row in rows)
    total_cpu = sum(row[2] for row in rows)
    cores = os.cpu_count() or 1
    print(f"{'total':45s} {total_wall:8.1f} {total_cpu:8.1f}")
    print(f"least on {cores} cores (CPU / cores): {total_cpu / cores:.0f} s; "
          f"backend {args.backend}{', cold bytecode' if args.cold_bytecode else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
