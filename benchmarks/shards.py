"""CI shards on the fixture-heavy benchmark suite: the goal of issue 10.

Usage::

    python benchmarks/shards.py                     # 12 fixture sets, 4 shards, SQLite
    python benchmarks/shards.py --backend postgresql --shards 4 --fixture-sets 12
    python benchmarks/shards.py --project benchmarks/out/shards   # a generated project
    python benchmarks/shards.py --in-turn           # parts in turn on one durations file

Generates the suite (``generate.py``: 60 classes, 8 tests each, 12 fixture
sets by default), runs it whole once with fixture bundling and the timing
plugin (recording the durations file), then runs ``--shard 1/N`` ..
``--shard N/N``, each starting from its own copy of that file (as CI
machines restoring one cache do), or with ``--in-turn`` one after another on
one copy that each part records into (one CI job or a developer running the
parts in one checkout: the first part freezes the cut,
``nose_speedup.timing.frozen_cut``). It checks and prints:

* the union of the shards' test ids equals the full run's, no test twice;
* the sum of the shards' fixture loads (``loaddata`` calls, counted by the
  ``benchmark_probe`` app) equals the full run's;
* each shard's test time (nose2's ``Ran N tests in X s``: set-ups, fixture
  loads and tests, without database creation; the best of ``--repeat``
  runs, interleaved) and the slowest/fastest ratio, against the goal of 1.3;
  also the ratio the cut planned from the recorded durations (what
  balancing achieved on its input, free of this run's noise).

The exit status is 1 when a property or the goal fails. Timings taken on a
loaded machine vary: compare the ratio, and rerun before concluding.
"""

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
import measure  # noqa: E402
from measure import NOSE2, OUT  # noqa: E402

GOAL_RATIO = 1.3
PLUGINS = ("--plugin", "nose_speedup.plugins.bundling", "--with-fixture-bundling",
           "--plugin", "nose_speedup.plugins.timing", "--plugin", "nose_speedup.plugins.shards")
RAN = re.compile(r"^Ran \d+ tests? in (?P<seconds>[\d.]+)s$", re.MULTILINE)


def test_ids(output):
    """Test ids from ``-v`` output (Python 3.11+ prints ``name (id)``)."""
    ids = []
    for match in re.finditer(r"^(?P<method>\w+) \((?P<dotted>[\w.]+)\)(?:\n.*)? \.\.\. ",
                             output, re.MULTILINE):
        dotted, method = match["dotted"], match["method"]
        ids.append(dotted if dotted.endswith("." + method) else f"{dotted}.{method}")
    return ids


def planned_seconds(durations, ids):
    """What the durations file says a part takes: its tests and its classes'
    set-ups, as ``nose_speedup.timing.store.weigh`` counts them."""
    classes = {test_id.rsplit(".", 1)[0] for test_id in ids}
    return (sum(durations["tests"].get(test_id, 0.0) for test_id in ids)
            + sum(durations["classes"].get(name, 0.0) for name in classes))


def config_file(project, name, durations):
    path = Path(project) / name
    path.write_text(f"[timing]\ndurations-file = {durations}\n")
    return path


def nose2_run(project, backend, db_name, cfg, *args):
    command = measure.python_command(*NOSE2, *PLUGINS, "-v", "-c", str(cfg), *args)
    result = measure.run(project, command, backend, db_name)
    if result.returncode != 0:
        raise SystemExit(f"run failed: {' '.join(command)}\n{result.last_lines(30)}")
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", help="use this generated project instead of generating one")
    parser.add_argument("--out", default=str(OUT / "shards"), help="where to generate it")
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each shard; its test time is the best of them")
    parser.add_argument("--in-turn", action="store_true",
                        help="run the parts one after another on one durations file")
    generate.add_options(parser, generate.Options(fixture_sets=12))
    args = parser.parse_args(argv)
    project = Path(args.project or args.out)
    if not args.project:
        generate.generate(project, generate.options_from(args))
    backend, db_name = args.backend, args.db_name
    state = project / ".nose-speedup"
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir()
    recorded = state / "recorded.json"
    full = nose2_run(project, backend, db_name, config_file(project, "full.cfg", recorded))
    full_ids = test_ids(full.output)
    print(f"full run: {len(full_ids)} tests, {full.counts.get('fixture_loads')} fixture loads, "
          f"tests ran {RAN.search(full.output)['seconds']} s (durations recorded)")
    times = {index: [] for index in range(1, args.shards + 1)}
    runs = {}
    for _ in range(max(1, args.repeat)):  # interleaved, so load spikes hit every shard
        shared = state / "in-turn.json"
        shutil.copyfile(recorded, shared)  # each round starts from the recorded file
        for index in times:
            copy = shared if args.in_turn else state / f"shard-{index}.json"
            if not args.in_turn:
                shutil.copyfile(recorded, copy)  # every run starts from the recorded file
            cfg = config_file(project, f"shard-{index}.cfg", copy)
            run = nose2_run(project, backend, db_name, cfg, "--shard", f"{index}/{args.shards}")
            times[index].append(float(RAN.search(run.output)["seconds"]))
            runs[index] = run
    parts, loads, seconds = [], 0, []
    for index, run in runs.items():
        ids = test_ids(run.output)
        parts.append(ids)
        loads += run.counts.get("fixture_loads", 0)
        seconds.append(min(times[index]))  # the least disturbed run, as timeit reports
        print(f"shard {index}/{args.shards}: {len(ids)} tests, "
              f"{run.counts.get('fixture_loads')} fixture loads, tests ran {seconds[-1]:.2f} s "
              f"(best of {len(times[index])}: {', '.join(f'{t:.2f}' for t in times[index])})")
    every = [test_id for part in parts for test_id in part]
    checks = {
        "union of shards == full run": sorted(every) == sorted(full_ids),
        "no test in two shards": len(every) == len(set(every)),
        "sum of fixture loads == full run's": loads == full.counts.get("fixture_loads"),
    }
    ratio = max(seconds) / min(seconds) if min(seconds) > 0 else float("inf")
    planned = [planned_seconds(json.loads(recorded.read_text()), part) for part in parts]
    print(f"planned from the recorded durations: {', '.join(f'{p:.2f}' for p in planned)} s "
          f"(slowest/fastest {max(planned) / min(planned):.2f})")
    checks[f"slowest/fastest shard {ratio:.2f} <= {GOAL_RATIO}"] = ratio <= GOAL_RATIO
    for name, ok in checks.items():
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
    print(f"({backend}; fixture loads {loads} in shards vs {full.counts.get('fixture_loads')} "
          "whole; timings under the machine's current load)")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
