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

The run says which part it is at the start::

    Shard 2/4: 120 of 480 tests (31 units, weighed by recorded durations)

Hooks: ``handleArgs`` (checks the value; runs this plugin's
``createdTestSuite`` before the django plugin's, so test databases are set up
only for the part's aliases), ``createdTestSuite`` (the cut),
``startTestRun`` (keeps only the part's tests in the suite that runs).

.. code-block:: ini

    [shards]
    # this machine's part, I/N; empty runs the whole suite
    shard =

nose2's ``mp`` plugin is refused by the django plugin.
"""

import sys

from nose2.events import Plugin

from nose_speedup import config, options

SOURCE = "shards plugin"
DJANGO = "nose_speedup.plugins.django"


class ShardsPlugin(Plugin):
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

        if not self.value:
            return
        self.shard = shards.parse(self.value, self.where)
        hook = self.session.hooks.createdTestSuite
        if self in hook.plugins:
            hook.plugins.remove(self)
            hook.plugins.insert(0, self)
        # Cut after the django plugin put the suite in Django's order (it
        # reads the suite's structure), before execution starts.
        hook = self.session.hooks.startTestRun
        if self in hook.plugins:
            hook.plugins.remove(self)
            django = [i for i, p in enumerate(hook.plugins) if type(p).__module__ == DJANGO]
            hook.plugins.insert(django[0] + 1 if django else 0, self)

    def createdTestSuite(self, event):
        import unittest

        from django.test.utils import iter_test_cases

        from nose_speedup.timing import location, shards, store

        if self.shard is None:
            return
        tests = list(iter_test_cases(event.suite))
        durations = store.read(location.durations_path(self.session))
        index, count = self.shard
        self.selected = shards.select(tests, index, count, durations)
        kept = [test for test in tests if test.id() in self.selected]
        units = shards.make_units(kept)
        known = any(store.weigh(durations, unit) is not None for unit in shards.make_units(tests))
        how = "recorded durations" if known else "number of tests (no durations recorded)"
        sys.stderr.write(
            f"Shard {index}/{count}: {len(kept)} of {len(tests)} tests "
            f"({len(units)} units, weighed by {how})\n"
        )
        event.suite = unittest.TestSuite(kept)  # the databases the part needs

    def startTestRun(self, event):
        import unittest

        from django.test.utils import iter_test_cases

        if self.selected is not None:
            tests = iter_test_cases(event.suite)
            event.suite = unittest.TestSuite(t for t in tests if t.id() in self.selected)
