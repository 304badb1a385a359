"""Run one of N parts of the suite, for N CI machines: ``--shard I/N``.

``nose2 --shard 2/4`` (``manage.py test --shard 2/4``) runs the second of
four disjoint parts that together are the whole suite. A fixture bundle is
never split (its classes run on one machine, which loads its fixtures
once), parts are balanced by the durations file the timing plugin records
(``[timing] durations-file``; by number of tests when it has none), and the
cut is deterministic: it depends on the set of selected tests and the
durations file, not on their order (``nose_speedup.timing.shards``). So
``--shuffle``/``--reverse`` reorder within a part, ``--django-parallel``
splits a part across processes, and ``REUSE_DB`` and bundling work as in a
full run. Every machine must select the same tests (labels, ``-k``, tags)
and see the same durations file (restore it from one CI cache or artifact).

Parts run one after another in one checkout (``--shard 1/3``, then ``2/3``,
``3/3``) each record into the durations file the next one would cut from;
so the cut is frozen for a round (``nose_speedup.timing.frozen_cut``): the
first part of a round computes it from the durations file as it is then and
keeps it beside that file (``.nose-speedup/durations.shards-3.json``); the
other parts, and a retried part, read it. A new round, with a new cut from
the durations recorded since, starts when all N parts have run or when the
set of selected tests differs (labels, ``-k``, tags, tests added). Every
test then runs exactly once per round; CI machines that each run one part
from the same restored durations file compute the same cut as before.

The run says which part it is at the start, and where its cut comes from
(one line each; ``F`` is ``.nose-speedup/durations.shards-4.json``)::

    Shard 1/4: 120 of 480 tests (31 units, weighed by recorded durations;
    new cut frozen in F until parts 1-4 have run)
    Shard 2/4: 121 of 480 tests (30 units, weighed by recorded durations;
    cut frozen in F, already run: 1)

Hooks: ``handleArgs`` (checks the value), ``createdTestSuite`` (the cut, frozen or new, of
the tests ``-k``/``--tag`` selected, before the parallel plugin starts
workers and the django plugin sets up the part's test databases),
``startTestRun`` (after the django plugin's ordering: keeps only the part's
tests in the suite that runs); ``nose_speedup.hooks`` says the order.

.. code-block:: ini

    [shards]
    # this machine's part, I/N; empty runs the whole suite
    shard =

nose2's ``mp`` plugin is refused by the django plugin.
"""

import sys

from nose2.events import Plugin

from nose_speedup import config, hooks, options
from nose_speedup.compat.nose2_compat import OncePerSession
from nose_speedup.plugins import bundling as bundling_plugin

SOURCE = "shards plugin"


class ShardsPlugin(Plugin, metaclass=OncePerSession):
    configSection = "shards"
    alwaysOn = True

    def __init__(self):
        self.config = config.StrictSection(self.session, self.configSection, SOURCE)
        self.value = options.read("shards", self.config)["value"]
        self.where = "[shards] shard ="
        self.shard = None
        self.selected = None
        options.add_flags(self, self._set_option)

    def _set_option(self, option, value):
        self.value, self.where = value, option.flag

    def handleArgs(self, event):
        from nose_speedup.timing import shards

        hooks.put_in_order(self.session)
        if self.value:
            self.shard = shards.parse(self.value, self.where)

    def createdTestSuite(self, event):
        import unittest

        from django.test.utils import iter_test_cases

        from nose_speedup.timing import frozen_cut, location, shards

        if self.shard is None:
            return
        tests = list(iter_test_cases(event.suite))
        index, count = self.shard
        mode = bundling_plugin.mode_of(self.session)
        path = location.durations_path(self.session)
        cut = frozen_cut.cut_for(
            path, [test.id() for test in tests], index, count,
            lambda: self._cut(tests, path, mode),
        )
        self.selected = cut.selected()
        kept = [test for test in tests if test.id() in self.selected]
        units = shards.make_units(kept, mode)
        sys.stderr.write(
            f"Shard {index}/{count}: {len(kept)} of {len(tests)} tests "
            f"({len(units)} units, weighed by {cut.weighed_by}; {cut.describe()})\n"
        )
        event.suite = unittest.TestSuite(kept)  # the databases the part needs

    def _cut(self, tests, path, mode):
        """A new cut of ``tests`` from the durations file as it is now."""
        from nose_speedup.timing import shards, store

        durations = store.read(path)
        units = shards.make_units(tests, mode)
        known = any(store.weigh(durations, unit) is not None for unit in units)
        how = "recorded durations" if known else "number of tests (no durations recorded)"
        return shards.parts(tests, self.shard[1], durations, mode), how

    def startTestRun(self, event):
        import unittest

        from django.test.utils import iter_test_cases

        if self.selected is not None:
            tests = iter_test_cases(event.suite)
            event.suite = unittest.TestSuite(t for t in tests if t.id() in self.selected)
