"""Select tests by name pattern and tag, as ``manage.py test -k/--tag/--exclude-tag`` does.

Load it (``manage.py test`` with ``Nose2TestRunner`` loads it) and give a
pattern or a tag::

    nose2 --plugin nose_speedup.plugins.selection --django-name-pattern Order --django-tag slow

* ``--django-name-pattern PATTERN`` (Django's ``-k``, repeatable): a pattern
  without ``*`` matches anywhere in the full test id
  (``app.tests.test_module.TestClass.test_method``), one with ``*`` is a
  shell-style pattern on the whole id. A label naming one test method keeps
  it, as under Django.
* ``--django-tag TAG`` / ``--django-exclude-tag TAG`` (Django's ``--tag`` and
  ``--exclude-tag``, repeatable): Django's ``@tag`` on classes and methods,
  inherited tags included, filtered by Django's own ``filter_tests_by_tags``.

Hooks: ``createdTestSuite`` (first: before ``--shard`` cuts, before the
parallel plugin makes units and starts workers, and before the django
plugin, so that only the databases of the selected tests are created and
Django's ``Found N test(s).`` counts the selection) and ``startTestRun``
(the same selection on the suite nose2 runs). A value given on the command line replaces the config's list.

.. code-block:: ini

    [test-selection]
    # Django's -k patterns, one per line; none selects every test
    name-patterns =
    # run only tests with one of these tags; none for every test
    tags =
    # skip tests with any of these tags
    exclude-tags =

The selection is made in the main process, before tests are handed to
``--django-parallel`` workers. nose2's ``mp`` plugin is refused at start-up
by the django plugin; parallel runs are ``nose_speedup.plugins.parallel``'s
(``--django-parallel``).
"""

import unittest

from nose2.events import Plugin

from nose_speedup import config, hooks, options
from nose_speedup.compat.nose2_compat import OncePerSession
from nose_speedup.core import selection

SOURCE = "selection plugin"


class SelectionPlugin(Plugin, metaclass=OncePerSession):
    configSection = "test-selection"
    alwaysOn = True

    def __init__(self):
        self.config = config.StrictSection(self.session, self.configSection, SOURCE)
        self.values = options.read("selection", self.config)
        self.from_command_line = set()
        self.labels = []
        options.add_flags(self, self._set_option)

    def _set_option(self, option, values):
        if option.name not in self.from_command_line:  # the command line replaces the config
            self.from_command_line.add(option.name)
            self.values[option.name] = []
        self.values[option.name].extend(values)

    @property
    def active(self):
        return any(self.values.values())

    def handleArgs(self, event):
        # Selection acts first on the suite (nose_speedup.hooks): shards cut,
        # the parallel plugin sizes its workers, and the django plugin
        # creates databases for, counts and orders only what it selects.
        hooks.put_in_order(self.session)

    def createTests(self, event):
        # The django plugin rewrites path labels in this list in place.
        self.labels = event.testNames if event.testNames is not None else []

    def _select(self, suite):
        from django.test.utils import iter_test_cases

        return unittest.TestSuite(
            selection.select(iter_test_cases(suite), labels=self.labels, **self.values)
        )

    def createdTestSuite(self, event):
        if self.active:
            event.suite = self._select(event.suite)

    def startTestRun(self, event):
        if self.active:
            event.suite = self._select(event.suite)
