"""``--affected`` on the demo project plus 2,000 tests: the goals of issue 24.

Usage::

    python benchmarks/affected.py                    # the interpreter running it
    /path/to/python3.12 benchmarks/affected.py       # sys.monitoring (3.12+)
    python benchmarks/affected.py --tests 2000 --repeat 5

Copies ``testproject/`` (the demo: catalog, orders, audit; SQLite) to
``benchmarks/out/affected`` and adds ``--tests`` generated tests (default
2,000, 50 per module in ``catalog/tests/test_generated_NN.py``, each pricing
an amount with ``catalog.pricing``). All runs are nose2 with the demo's
``unittest.cfg`` (django, bundling, reuse_db) under ``REUSE_DB=1``, warm
(an untimed run first), rounds interleaved, medians of ``--repeat``:

1. **Recording cost**: the whole suite without ``--affected``, then with it
   and no record (every test runs and is recorded). Ratio of wall times
   (the process) and of the test phase (nose2's ``Ran N tests in X s``).
   Goal on Python 3.12+: at most 1.3x.
2. **Selection**: in a process with the demo's settings set up, the time to
   read the record and hash the project's files and decide (what
   ``--affected`` adds before its tests; goal: well under a second), next to
   ``Affected: ...`` with nothing changed.
3. **An edit to one view** (``catalog.views.product_detail``): ``--affected``
   after the edit, next to a warm start of the view's test module by label
   (``catalog.tests.test_views``, what a developer would type) and a full
   warm run. Goal: under 2x the warm start. Every run must pass.

Nothing here asserts on time; the exit status is 1 when a run fails or
``--affected`` after the edit does not run the view's tests.
"""

import argparse
import re
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
from measure import OUT, REPO_ROOT  # noqa: E402

NOSE2 = ("-m", "nose2", "--plugin", "nose_speedup.plugins.affected")
RAN = re.compile(r"^Ran \d+ tests? in (?P<seconds>[\d.]+)s$", re.MULTILINE)
AFFECTED_LINE = re.compile(r"^Affected: .*$", re.MULTILINE)
VIEW = ("catalog/views.py", "    return JsonResponse(product.as_dict())\n",
        "    return JsonResponse(dict(product.as_dict()))\n")
VIEW_TESTS = "catalog.tests.test_views"
GENERATED = '''from decimal import Decimal

from django.test import SimpleTestCase

from catalog import pricing


class GeneratedPricingTests{index:02d}(SimpleTestCase):
{tests}
'''
TEST = '''    def test_tax_{number}(self):
        self.assertEqual(pricing.apply_tax(Decimal("{number}.00"), Decimal("0.20")),
                         Decimal("{taxed}"))
'''
SELECTION_PROBE = '''
import json, sys, time
import django
django.setup()
from nose_speedup.affected import record, selection, tracking
started = time.perf_counter()
recorded = record.read(".nose-speedup/affected.json")
by_module = {name: list(entry["tests"]) for name, entry in recorded["modules"].items()}
run = tracking.AffectedTracking.__new__(tracking.AffectedTracking)
run.root, run.fixed = ".", None
hashes = record.FileHashes(run.root, recorded["files"])
chooser = selection.AffectedSelection(recorded, hashes, run._environment(hashes, by_module))
chosen = chooser.select(by_module)
print(json.dumps({"seconds": time.perf_counter() - started, "modules": len(by_module),
                  "selected": len(chosen), "files": len(hashes.shas)}))
'''


def make_project(out, tests):
    project = Path(out) / "testproject"
    shutil.rmtree(Path(out), ignore_errors=True)
    shutil.copytree(REPO_ROOT / "testproject", project,
                    ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3", ".nose-speedup"))
    for index in range((tests + 49) // 50):
        numbers = range(index * 50 + 1, min(tests, index * 50 + 50) + 1)
        body = "".join(TEST.format(number=n, taxed=f"{n * 1.2:.2f}") for n in numbers)
        (project / "catalog" / "tests" / f"test_generated_{index:02d}.py").write_text(
            GENERATED.format(index=index, tests=body))
    return project


def nose2(project, *args):
    result = measure.run(project, measure.python_command(*NOSE2, *args), "sqlite", "unused",
                         {"REUSE_DB": "1"})
    result.test_seconds = float(RAN.search(result.output)["seconds"]) if RAN.search(
        result.output) else float("nan")
    affected = AFFECTED_LINE.search(result.output)
    result.affected = affected.group(0) if affected else ""
    return result


def forget(project):
    (project / ".nose-speedup" / "affected.json").unlink(missing_ok=True)


def median(runs, key):
    return statistics.median(getattr(run, key) for run in runs)


def interleaved(repeat, cells):
    """``{name: [Measurement]}``: each cell's (before, command) once per round."""
    runs = {name: [] for name in cells}
    for _ in range(repeat):
        for name, (before, command) in cells.items():
            before()
            runs[name].append(command())
    return runs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(OUT / "affected"))
    parser.add_argument("--tests", type=int, default=2000, help="generated tests to add")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    project = make_project(args.out, args.tests)
    nothing = lambda: None  # noqa: E731
    warm_up = nose2(project, "--affected")  # builds the kept database and the record
    failed = [] if warm_up.passed else [("warm-up", warm_up)]
    print(f"Python {sys.version.split()[0]}; demo project + {args.tests} tests "
          f"({warm_up.tests} in all), SQLite, REUSE_DB=1 warm, medians of {args.repeat}; "
          "timings under the machine's current load")
    record = interleaved(args.repeat, {
        "full run": (nothing, lambda: nose2(project)),
        "full run recording (--affected, no record)": (lambda: forget(project),
                                                        lambda: nose2(project, "--affected")),
    })
    rows = [(name, median(runs, "seconds"), median(runs, "test_seconds"))
            for name, runs in record.items()]
    print(f"\n1. recording cost{'':26} wall s   tests s")
    for name, wall, tested in rows:
        print(f"   {name:42} {wall:6.2f}   {tested:6.2f}")
    print(f"   ratio{'':37} {rows[1][1] / rows[0][1]:5.2f}x   {rows[1][2] / rows[0][2]:5.2f}x"
          "   (goal on 3.12+: <= 1.3x)")
    probe = measure.run(project, measure.python_command("-c", SELECTION_PROBE), "sqlite", "x",
                        {"DJANGO_SETTINGS_MODULE": "testproject.settings"})
    unchanged = nose2(project, "--affected")
    print(f"\n2. selection: {probe.output.strip().splitlines()[-1]}")
    print(f"   (goal: well under 1 s); nothing changed: {unchanged.affected}, "
          f"{unchanged.seconds:.2f} s wall")
    view = project / VIEW[0]
    original = view.read_text()
    edited = original.replace(VIEW[1], VIEW[2])
    assert edited != original, f"{VIEW[1]!r} is not in {VIEW[0]}"

    def edit_view():  # the record then holds the original: each round sees the edit
        view.write_text(original)
        nose2(project, "--affected")
        view.write_text(edited)

    loop = interleaved(args.repeat, {
        "warm start: nose2 catalog.tests.test_views": (nothing, lambda: nose2(project, VIEW_TESTS)),
        "--affected after the view edit": (edit_view, lambda: nose2(project, "--affected")),
        "full warm run": (nothing, lambda: nose2(project)),
    })
    view.write_text(original)
    print(f"\n3. an edit to one view{'':20} wall s   tests")
    for name, runs in loop.items():
        print(f"   {name:42} {median(runs, 'seconds'):6.2f}   {runs[-1].tests}")
        failed += [(name, run) for run in runs if not run.passed]
    names = list(loop)
    ratio = median(loop[names[1]], "seconds") / median(loop[names[0]], "seconds")
    print(f"   --affected / warm start{'':19} {ratio:5.2f}x   (goal: < 2x)")
    print(f"   {loop[names[1]][-1].affected}")
    if loop[names[1]][-1].tests == 0:
        failed.append(("--affected ran no test after the view edit", loop[names[1]][-1]))
    failed += [(name, run) for name, runs in record.items() for run in runs if not run.passed]
    for name, run in failed:
        print(f"FAILED: {name}\n{run.last_lines(20)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
