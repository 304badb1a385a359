"""Predict a parallel run's wall for N processes from the durations file::

    python -m nose_speedup.timing simulate --workers 1,2,4,8,16,32 \\
        --settings myproject.settings [--parallel-durations run2.json] [labels]

The suite is built as ``manage.py test`` builds it (Django's discovery and
ordering, no database), cut into the units of a parallel run with the real
code (``parallel.units``: bundles by the one rule, ``parallel.shares``: the
bundle that holds up the run split for N workers), and the recorded seconds
are replayed through the real hand-out (``units.schedule`` and
``UnitQueue.take``: longest first, a worker's modules first, no second
share of a bundle): each idle worker takes the next unit, which lasts what
its tests and classes took in the durations file, with exactly one fixture
load per bundle or share (the load the file recorded for the bundle).

Per N it prints the predicted wall (start-up plus the last worker's end),
the critical path (the longest unit, which no worker can split further), the
fixture loads, and the limit the run cannot beat: the tests' own work over
N, plus one load per worker per bundle it runs, plus start-up.

What N processes share: each worker has its own database copy, but they
share the database server, the disk and the cores. The durations file of
a serial run gives the seconds at N = 1; ``--parallel-durations`` names the
durations file of a run with 2 processes of the same suite, and the ratio
of the same tests' seconds there to their serial seconds gives the
contention ``c`` (``--contention`` sets it by hand); each unit then lasts
``1 + c * (N - 1)`` times its serial seconds while N is at most the
machine's cores (``--cores``, this machine's by default), and N / cores
times more beyond. Start-up (``--start``, by default the recorded build of
the test databases) is taken as constant. Trust the prediction up to the N
the contention was measured near (2, and a little beyond), while N is at
most the cores; beyond that the database server's own limits (connections,
locks, a saturated disk) are not modelled, and the curve is optimistic.
"""

import heapq
import os
import sys
from dataclasses import dataclass

from nose_speedup.timing import store


@dataclass
class Prediction:
    workers: int
    wall: float  # start-up + the last worker's end
    tests: float  # the last worker's end
    critical: float  # the longest unit
    loads: int  # fixture loads of the bundles and shares
    limit: float  # the tests' own work / N + loads per worker + start-up
    split: dict  # bundle name -> shares


def loader_classes(unit, durations, load):
    """Classes of ``unit`` whose recorded set-up holds a load of its bundle."""
    classes = durations["classes"]
    return sum(
        1 for test_class in unit.classes()
        if load and classes.get(store.class_name(test_class), 0.0) >= load / 2
    )


def unit_seconds(unit, weight, durations):
    """What ``unit`` lasts on one worker: its recorded tests and classes,
    with exactly one load of its bundle (a share of a split bundle loads too)."""
    from nose_speedup.parallel.shares import load_seconds

    seconds = weight(unit)
    if not unit.bundled:
        return seconds
    load = load_seconds(durations, unit.bundle_name)
    return max(0.0, seconds - load * loader_classes(unit, durations, load)) + load


def replay(order, workers, seconds):
    """The end of the last worker, when ``workers`` take ``order``'s units
    as the dispatcher hands them out."""
    from nose_speedup.parallel.units import UnitQueue

    queue = UnitQueue(order)
    idle = [(0.0, slot) for slot in range(workers)]
    previous, taken, end = {}, {}, 0.0
    while queue:
        now, slot = heapq.heappop(idle)
        unit = queue.take(previous.get(slot), taken.setdefault(slot, set()))
        if unit.share is not None:
            taken[slot].add(unit.bundle_name)
        previous[slot] = unit
        finished = now + seconds[id(unit)]
        end = max(end, finished)
        heapq.heappush(idle, (finished, slot))
    return end


def predict(tests, workers, durations, bundling, contention=0.0, cores=None, start=0.0):
    from nose_speedup.parallel import shares, units

    made = units.make_units(tests, bundling)
    weight = units.recorded_weights(made, durations) or (lambda unit: float(unit.size))
    made = shares.number(shares.split(made, workers, weight, durations))
    cores = cores or os.cpu_count() or 1
    factor = (1 + contention * (min(workers, cores) - 1)) * max(1.0, workers / cores)
    seconds = {id(unit): unit_seconds(unit, weight, durations) * factor for unit in made}
    order = units.schedule(made, weights=weight)
    loads = sum(unit.bundled for unit in made)
    own_work = sum(seconds.values())
    load_part = 0.0
    for unit in made:
        if unit.bundled:
            load_part += shares.load_seconds(durations, unit.bundle_name) * factor
    tests_end = replay(order, min(workers, len(made)) or 1, seconds)
    per_worker_loads = load_part / max(1, min(workers, len(made)))
    return Prediction(
        workers, start + tests_end, tests_end, max(seconds.values(), default=0.0), loads,
        start + (own_work - load_part) / workers + per_worker_loads, shares.split_bundles(made),
    )


def contention_between(serial, parallel):
    """How much slower the same tests ran with 2 processes than with 1."""
    common = [name for name in serial["tests"] if name in parallel["tests"]]
    one = sum(serial["tests"][name] for name in common)
    two = sum(parallel["tests"][name] for name in common)
    return max(0.0, two / one - 1) if one > 0 else 0.0


def recorded_start(durations):
    """The test databases' recorded build (all aliases), the start-up's bulk."""
    total = 0.0
    for phases in durations["databases"].values():
        if isinstance(phases, dict):
            value = phases.get("build")
            total += value if isinstance(value, (int, float)) else 0.0
    return total


def load_suite(settings, labels):
    """The suite ``manage.py test`` would run, built without a database."""
    import django

    if settings:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        raise SystemExit(
            "simulate: no Django settings; give --settings myproject.settings or set "
            "DJANGO_SETTINGS_MODULE"
        )
    sys.path.insert(0, os.getcwd())
    django.setup()
    ask_no_database()
    from django.test.runner import DiscoverRunner
    from django.test.utils import iter_test_cases

    return list(iter_test_cases(DiscoverRunner(verbosity=0).build_suite(labels or None)))


def ask_no_database():
    """Simulate builds the units without a test database: where the one
    bundling rule would ask the server whether it has transactions (MySQL
    and MariaDB ask; the database in the settings need not exist), a server
    that cannot answer is taken to have them, as it had in the recorded
    runs whose bundles the durations file holds."""
    from nose_speedup.compat import django_testcase

    asks = django_testcase.missing_transaction_support

    def missing_transaction_support(test_class):
        try:
            return asks(test_class)
        except Exception:
            return []

    django_testcase.missing_transaction_support = missing_transaction_support


def table(predictions, contention):
    lines = [
        f"contention {contention:.2f} per extra process (1 + c * (N - 1)); seconds:",
        f"{'N':>4} {'wall':>9} {'tests':>9} {'critical':>9} {'limit':>9} {'loads':>6}  split",
    ]
    for p in predictions:
        split = "; ".join(f"{name} x{count}" for name, count in p.split.items()) or "-"
        lines.append(
            f"{p.workers:>4} {p.wall:>9.2f} {p.tests:>9.2f} {p.critical:>9.2f} "
            f"{p.limit:>9.2f} {p.loads:>6}  {split}"
        )
    return lines


def run(args):
    from nose_speedup.bundling import rule

    durations = store.read(args.durations or store.default_path(os.getcwd()))
    if not durations["tests"]:
        raise SystemExit(
            f"simulate: {args.durations or store.default_path(os.getcwd())} records no test; "
            "run the suite once with the timing plugin (manage.py test does) first"
        )
    contention = args.contention
    if contention is None:
        contention = 0.0
        if args.parallel_durations:
            contention = contention_between(durations, store.read(args.parallel_durations))
    bundling = False if args.no_bundling else (rule.ALL if args.bundle_testcases else rule.FAST)
    tests = load_suite(args.settings, args.labels)
    start = recorded_start(durations) if args.start is None else args.start
    predictions = [
        predict(tests, count, durations, bundling, contention, args.cores, start)
        for count in args.workers
    ]
    print("\n".join(table(predictions, contention)))
    return 0


def add_parser(commands):
    parser = commands.add_parser("simulate", help="predict the wall of a parallel run per N")
    parser.add_argument("labels", nargs="*")
    parser.add_argument("--workers", default="1,2,4,8,16,32",
                        type=lambda text: [int(n) for n in text.split(",") if n.strip()])
    parser.add_argument("--durations", help="durations file of a serial run (the project's)")
    parser.add_argument("--parallel-durations", help="durations file of a 2-process run")
    parser.add_argument("--contention", type=float, help="slowdown per extra process")
    parser.add_argument("--cores", type=int, help="cores of the machine to predict for")
    parser.add_argument("--start", type=float, help="start-up seconds (default: recorded build)")
    parser.add_argument("--settings", help="Django settings module")
    parser.add_argument("--bundle-testcases", action="store_true")
    parser.add_argument("--no-bundling", action="store_true")
    return parser
