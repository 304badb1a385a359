"""The units of work of a parallel run and of shards, their weights, and
the order they are handed out in: the one module the parallel scheduler and
the shards plugin (``nose_speedup.timing.shards``) share.

A unit is a fixture bundle (all its classes, in the order bundling gave
them), a share of a bundle too big for one worker (``parallel.shares``), or
one class that is not bundled: a class's tests never split across
processes, and a bundle's fixtures are loaded once by the process that runs
it (once per share when split). Which classes bundle is the one rule's
(``bundling.rule``; ``group_key`` for shards). ``BundledRun`` (``nose_speedup.bundling.plan``) tells which classes share a
bundle through their public ``fixture_bundle`` attribute; consecutive classes
with the same bundle form one unit.

Order: Django's groups keep their meaning. ``TestCase`` units come first,
then the other ``SimpleTestCase`` units (``TransactionTestCase`` among them,
which flush the database), then plain ``unittest`` tests. Every worker takes
units from the one queue in that order, so no worker ever runs a
``TestCase`` after a ``TransactionTestCase`` on its database, and no worker
idles while work remains. ``TestCase`` units leave nothing behind (their
transactions roll back), so they go heaviest first, for balance. The later
groups stay in Django's order: what a ``TransactionTestCase`` leaves (a
flush that made content types anew, which a later ``serialized_rollback``
class cannot load over) then meets in a worker only the classes it meets in
Django's serial run, each worker's units being a subsequence of that run
(classes of a module are contiguous there, so a worker still never comes
back to a module). The weight of a unit is the seconds its tests and classes
took in earlier runs, from the durations file (``recorded_weights``), or
its number of tests when the file knows none of the units.

A unit whose tests cannot be pickled (nose2's stand-ins for modules that do
not import, generator tests...) cannot be sent to a worker: it runs in the
main process, on the main test databases, after the others.
"""

import collections
import pickle


class Unit:
    """Some tests that run together, in one process."""

    def __init__(self, tests, bundled, bundle_name=None):
        self.tests = tests
        self.bundled = bundled
        self.bundle_name = bundle_name  # bundling.plan.bundle_name of its bundle
        self.share = None  # (number, of how many) when a share of a split bundle
        self.index = None
        self.payload = None  # the pickled tests, for a worker

    @property
    def size(self):
        return len(self.tests)

    def classes(self):
        return list(dict.fromkeys(type(test) for test in self.tests))

    def describe(self):
        classes = self.classes()
        first = f"{classes[0].__module__}.{classes[0].__qualname__}"
        if len(classes) == 1:
            return first
        share = f" (share {self.share[0]} of {self.share[1]})" if self.share else ""
        return f"the bundle of {first} and {len(classes) - 1} more classes{share}"

    def group(self):
        """Django's ordering group of the unit's first class."""
        from django.test import SimpleTestCase, TestCase

        test = self.tests[0]
        if isinstance(test, TestCase):
            return 0
        if isinstance(test, SimpleTestCase):
            return 1
        return 2

    def pickle(self):
        """Pickle the tests for a worker; False when they cannot be."""
        try:
            self.payload = pickle.dumps(self.tests)
        except Exception:
            self.payload = None
        return self.payload is not None


class UnitQueue:
    """The scheduled units, handed out in ``schedule``'s order, except that a
    worker that just ran ``previous`` gets the first queued unit of the same
    Django group that uses one of ``previous``'s modules. Indexed by module,
    so a hand-out costs the number of the worker's modules, not the length
    of the queue (a suite has thousands of units)."""

    def __init__(self, scheduled):
        self.order = list(scheduled)
        self.position = {id(unit): number for number, unit in enumerate(self.order)}
        self.groups = {id(unit): unit.group() for unit in self.order}
        self.modules = {id(unit): modules_of(unit) for unit in self.order}
        self.by_module = {}  # module -> its units, in queue order
        for unit in self.order:
            for module in self.modules[id(unit)]:
                self.by_module.setdefault(module, collections.deque()).append(unit)
        self.taken = set()
        self.head = 0

    def __len__(self):
        return len(self.order) - len(self.taken)

    def take(self, previous=None, avoid=()):
        """The next unit for a worker that just ran ``previous``; never a
        share of a bundle named in ``avoid`` (the worker loaded it already)
        while another unit is queued."""
        candidates = []
        if previous is not None and id(previous) in self.groups:
            group = self.groups[id(previous)]
            for module in self.modules[id(previous)]:
                queued = self.by_module[module]
                while queued and id(queued[0]) in self.taken:
                    queued.popleft()
                # The queue is in group order: a module's first queued unit
                # of another group means none of this group is left.
                if queued and self.groups[id(queued[0])] == group:
                    candidates.append(queued[0])
        candidates = [unit for unit in candidates if not avoided(unit, avoid)]
        if candidates:
            unit = min(candidates, key=lambda unit: self.position[id(unit)])
        else:
            while id(self.order[self.head]) in self.taken:
                self.head += 1
            unit = self.order[self.head]
            if avoid and avoided(unit, avoid):
                unit = next(
                    (other for other in self.order[self.head:]
                     if id(other) not in self.taken and not avoided(other, avoid)),
                    unit,
                )
        self.taken.add(id(unit))
        return unit

    def only_avoided(self, avoid):
        """Whether every queued unit is a share of a bundle named in ``avoid``."""
        return all(
            avoided(unit, avoid) for unit in self.order[self.head:] if id(unit) not in self.taken
        )


def avoided(unit, avoid):
    return unit.share is not None and unit.bundle_name in avoid


def modules_of(unit):
    """The test modules whose classes ``unit`` runs."""
    return {type(test).__module__ for test in unit.tests}


def bundling_mode(bundling):
    """``rule.FAST``/``rule.ALL`` for ``bundling`` (``True`` is ``FAST``),
    ``None`` when bundling is off."""
    from nose_speedup.bundling import rule

    if not bundling:
        return None
    return bundling if bundling in rule.MODES else rule.FAST


def group_key(test_class, mode=None):
    """Classes with equal keys would share a fixture load (``bundling.rule``,
    under ``mode``; ``None``: ``FAST``), so a shard never separates them."""
    from nose_speedup.bundling import rule
    from nose_speedup.timing import store

    key = rule.decide(test_class, mode or rule.FAST).key
    if key is not None:
        return ("bundle", repr(key))
    return ("class", store.class_name(test_class))


def make_units(tests, bundling):
    """``tests`` (a flat list in Django's order) cut into units. With
    ``bundling`` (``True`` or a ``bundling.rule`` mode), bundled classes are
    grouped first, as the bundling plugin would group them."""
    if not bundling:
        return _cut(tests, lambda test: None)
    from nose_speedup.bundling.plan import BundledRun

    run = BundledRun(tests, bundling_mode(bundling))
    try:
        from django.test.utils import iter_test_cases

        regrouped = list(iter_test_cases(run.suite))
        return _cut(regrouped, lambda test: getattr(type(test), "fixture_bundle", None))
    finally:
        run.finish()


def _cut(tests, bundle_of):
    units, last_key = [], object()
    for test in tests:
        bundle = bundle_of(test)
        key = ("bundle", id(bundle)) if bundle is not None else ("class", type(test))
        if key != last_key:
            name = None if bundle is None else bundle.name
            units.append(Unit([], bundled=bundle is not None, bundle_name=name))
            last_key = key
        units[-1].tests.append(test)
    for index, unit in enumerate(units):
        unit.index = index
    return units


def schedule(units, weights=None):
    """``units`` in the order workers take them: by Django's group, then
    ``TestCase`` units heaviest first (``weights``: unit -> weight; the test
    count by default), the other groups as Django ordered them."""
    weight = weights or (lambda unit: unit.size)

    def key(unit):
        group = unit.group()
        return (group, -weight(unit) if group == 0 else 0, unit.index)

    return sorted(units, key=key)


def test_lists_weights(test_lists, durations):
    """The weight of each list of tests (a unit's): the seconds its tests and
    classes took in earlier runs (``store.weigh``), a list the durations do
    not know weighing the mean seconds per test of the known ones times its
    size; test counts when they know none. Shards and the parallel plugin
    weigh alike."""
    lists = [Unit(list(tests), False) for tests in test_lists]
    weigh = recorded_weights(lists, durations)
    if weigh is None:
        return [float(unit.size) for unit in lists]
    return [weigh(unit) for unit in lists]


def recorded_weights(units, durations):
    """unit -> seconds from ``durations`` (``nose_speedup.timing.store``), or
    None when they know none of ``units``. A unit they do not know weighs
    the mean seconds per test of the known units times its size; so does a
    share of a split bundle (``parallel.shares``), weighed the same way."""
    from nose_speedup.timing import store

    seconds = {id(unit): store.weigh(durations, unit.tests) for unit in units}
    known = [unit for unit in units if seconds[id(unit)] is not None]
    if not known:
        return None
    per_test = sum(seconds[id(unit)] for unit in known) / sum(unit.size for unit in known)

    def weight(unit):
        value = store.weigh(durations, unit.tests)
        return value if value is not None else per_test * unit.size

    return weight
