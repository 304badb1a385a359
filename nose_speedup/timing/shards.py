"""Cut a suite into N disjoint parts for N CI machines, never splitting a bundle.

The unit of the cut is a would-be bundle (the classes that share a bundle
key by the one rule, ``nose_speedup.bundling.rule``) or a single class
(``nose_speedup.parallel.units``, which the parallel plugin shares), so
every class's ``setUpClass`` runs on one machine and every
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


def make_units(tests, mode=None):
    """``[[test, ...], ...]``: the tests grouped by unit (``parallel.units.
    group_key``: a would-be bundle or a class), each sorted by id."""
    from nose_speedup.parallel.units import group_key

    units = {}
    for test in tests:
        units.setdefault(group_key(type(test), mode), []).append(test)
    return [sorted(unit, key=lambda test: test.id()) for unit in units.values()]


def weights(units, durations):
    from nose_speedup.parallel.units import test_lists_weights

    return test_lists_weights(units, durations)


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


def select(tests, index, count, durations, mode=None):
    """The ids of the tests of shard ``index`` (1-based) of ``count``
    (``mode``: bundling's ``rule.FAST`` or ``rule.ALL``)."""
    return set(parts(tests, count, durations, mode)[index - 1])


def parts(tests, count, durations, mode=None):
    """``[[test id, ...] for each shard]``, each sorted: the whole cut."""
    units = make_units(tests, mode)
    cut = [[] for _ in range(count)]
    for unit, shard in zip(units, assign(units, count, durations)):
        cut[shard] += [test.id() for test in unit]
    return [sorted(part) for part in cut]
