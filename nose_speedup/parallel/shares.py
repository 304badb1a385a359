"""Split the fixture bundle that holds up a parallel run.

A bundle is one unit of work (``parallel.units``): its fixtures are loaded
once, by the worker that runs it. When one bundle is most of the suite (98
of 107 fixture classes share one fixture list in real suites), that worker
runs nearly everything while the others idle. So a bundle whose expected
time is more than a worker's fair share (all units' weight over the
workers, ``fair``) and more than one load of its fixtures above it is cut
into ``k`` contiguous *shares* of whole classes (``k`` the fewest that are
each at most a fair share, and at most one per worker and per class), cut
where the classes' recorded weights balance (test counts when nothing is
recorded). Each share is a unit: the worker that takes it runs its classes
as a bundle of their own, loading the fixtures once. The dispatcher never
hands a worker a second share of a bundle while another unit is queued
(``UnitQueue.take``'s ``avoid``), so a split bundle costs at most one load
per worker that ran part of it: ``k`` loads instead of 1, said in the
closing line. Smaller bundles stay whole.

Weights are those of ``units.recorded_weights`` (the durations file) or the
test counts; a share's weight includes one load of its bundle when the
durations file recorded one (``bundles`` section, seconds per load).
"""

import math

from nose_speedup.parallel.units import Unit


def load_seconds(durations, name):
    """Seconds of one load of the bundle ``name``, 0 when unknown."""
    entry = ((durations or {}).get("bundles") or {}).get(name) or {}
    seconds = entry.get("seconds", 0.0) if isinstance(entry, dict) else 0.0
    return seconds if isinstance(seconds, (int, float)) else 0.0


def split(units, workers, weight, durations=None):
    """``units`` with each bundle that holds up the run replaced by its
    shares (in place, in order); ``weight``: unit -> weight."""
    if workers < 2:
        return list(units)
    weights = {id(unit): weight(unit) for unit in units}
    fair = sum(weights.values()) / workers
    out = []
    for unit in units:
        load = load_seconds(durations, unit.bundle_name)
        work = weights[id(unit)]
        classes = unit.classes()
        if not unit.bundled or fair <= 0 or work <= fair + load or len(classes) < 2:
            out.append(unit)
            continue
        count = min(workers, len(classes), math.ceil(work / fair))
        out += cut(unit, count, weight) if count > 1 else [unit]
    return out


def cut(unit, count, weight):
    """``unit`` cut into ``count`` contiguous shares of whole classes,
    balanced by ``weight`` of each class's tests."""
    by_class = {}
    for test in unit.tests:
        by_class.setdefault(type(test), []).append(test)
    parts = [Unit(tests, True, unit.bundle_name) for tests in by_class.values()]
    class_weights = [max(weight(part), 0.0) for part in parts]
    total = sum(class_weights) or float(len(parts))
    shares, current, done = [], [], 0.0
    for number, (part, part_weight) in enumerate(zip(parts, class_weights)):
        left_classes = len(parts) - number
        left_shares = count - len(shares)
        target = total * (len(shares) + 1) / count
        # Close the share before this class when that is nearer the target,
        # or when every remaining share needs a class of its own.
        if current and left_shares > 1 and (
            done + part_weight / 2 > target or left_classes < left_shares
        ):
            shares.append(current)
            current = []
        current += part.tests
        done += part_weight
    shares.append(current)
    made = [Unit(tests, True, unit.bundle_name) for tests in shares]
    for number, share in enumerate(made, 1):
        share.share = (number, len(made))
    return made


def number(units):
    """Index the units in order (the queue breaks ties by index)."""
    for index, unit in enumerate(units):
        unit.index = index
    return units


def split_bundles(units):
    """``{bundle name: number of shares}`` of the bundles split in ``units``."""
    found = {}
    for unit in units:
        if unit.share is not None:
            found[unit.bundle_name] = unit.share[1]
    return found
