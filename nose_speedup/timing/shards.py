"""Cut a suite into N disjoint parts for N CI machines, never splitting a bundle.

The unit of the cut is a would-be bundle (the ``FastFixtureTestCase``
classes sharing a bundle key, ``nose_speedup.bundling.run.bundle_key``) or a
single class, so every class's ``setUpClass`` runs on one machine and every
bundle loads its fixtures once, on one machine: the shards' loads add up
to a full run's. Units are weighed by the durations file (their tests'
seconds plus their classes' set-ups, ``store.weigh``; a unit it does not
know weighs its tests at the mean known test time), or by their number of
tests when the file knows no unit at all. Then greedy, longest first: each
unit goes to the lightest shard; ties in weight are broken by the unit's
first test id and ties between shards by the lowest shard number.

The cut depends only on the *set* of tests and the durations file, not on
their order, so ``--shuffle`` and ``--reverse`` reorder within a shard and
every machine computes the same cut. All machines must therefore see the
same tests (labels, tags) and the same durations file.
"""

from nose_speedup.errors import ConfigurationError
from nose_speedup.timing import store

SOURCE = "shards plugin"


def parse(text, where="--shard"):
    """``"I/N"`` -> ``(I, N)``, 1 <= I <= N; a clear error otherwise."""
    try:
        index, count = (int(part) for part in text.strip().split("/"))
    except ValueError:
        index = count = 0
    if not 1 <= index <= count:
        raise ConfigurationError(
            SOURCE,
            f"{where} {text!r} is not a shard; give I/N with 1 <= I <= N, e.g. --shard 2/4 "
            "for the second of four parts",
        )
    return index, count


def unit_key(test_class):
    """Classes with equal keys stay in one shard: a bundle's key, else the class."""
    from nose_speedup.testcases import FastFixtureTestCase

    if isinstance(test_class, type) and issubclass(test_class, FastFixtureTestCase):
        fixtures = test_class.fixtures
        exempt = test_class.exempt_from_fixture_bundling
        if fixtures and not isinstance(fixtures, str) and not exempt:
            from nose_speedup.bundling.run import bundle_key

            try:
                return ("bundle", repr(bundle_key(test_class)))
            except Exception:
                pass  # the class gets Django's own error when it runs
    return ("class", store.class_name(test_class))


def make_units(tests):
    """``[[test, ...], ...]``: the tests grouped by unit, each sorted by id."""
    units = {}
    for test in tests:
        units.setdefault(unit_key(type(test)), []).append(test)
    return [sorted(unit, key=lambda test: test.id()) for unit in units.values()]


def weights(units, durations):
    known = [store.weigh(durations, unit) for unit in units]
    if all(weight is None for weight in known):
        return [float(len(unit)) for unit in units]
    tests = durations["tests"]
    seconds = [tests[t.id()] for unit in units for t in unit if t.id() in tests]
    mean = sum(seconds) / len(seconds) if seconds else 1.0
    return [mean * len(unit) if weight is None else weight for unit, weight in zip(units, known)]


def assign(units, count, durations):
    """``[shard number (0-based) for each unit]``, greedy longest first."""
    weighed = weights(units, durations)
    order = sorted(range(len(units)), key=lambda i: (-weighed[i], units[i][0].id()))
    loads = [0.0] * count
    shard_of = [0] * len(units)
    for i in order:
        lightest = min(range(count), key=lambda shard: (loads[shard], shard))
        shard_of[i] = lightest
        loads[lightest] += weighed[i]
    return shard_of


def select(tests, index, count, durations):
    """The ids of the tests of shard ``index`` (1-based) of ``count``."""
    return set(parts(tests, count, durations)[index - 1])


def parts(tests, count, durations):
    """``[[test id, ...] for each shard]``, each sorted: the whole cut."""
    units = make_units(tests)
    cut = [[] for _ in range(count)]
    for unit, shard in zip(units, assign(units, count, durations)):
        cut[shard] += [test.id() for test in unit]
    return [sorted(part) for part in cut]
