"""Run Django test suites under nose2, the way Django's own runner does.

Load it and it is active::

    nose2 --plugin nose_speedup.plugins.django --django-settings mysite.settings

It gives a nose2 run what ``manage.py test`` gives a Django one, and nothing
more, so that the same tests pass and fail:

* ``createTests``: picks the settings module (``--django-settings``, the
  config's ``settings`` or ``DJANGO_SETTINGS_MODULE``), calls ``django.setup()``
  before any test module is imported, checks that every label names something;
* ``handleArgs`` and the loading hooks: collect what Django's runner
  collects (``core.collection``): unittest's loader for modules,
  ``TestCase`` classes and ``load_tests``; nose2's other loaders are off
  unless ``nose2-collection`` is on. The root log handler nose2 installs
  is removed, so tests log as under Django's runner;
* ``createdTestSuite``: sets up the test environment and creates test
  databases only for the aliases the selected tests use (``databases``),
  serializing only those a selected test needs for ``serialized_rollback``;
  then runs Django's system checks. Another plugin may take over database
  set-up through the ``prepareTestDatabases`` and ``setUpTestDatabases``
  hooks (``nose_speedup.hooks``);
* ``startTestRun``: orders the suite as Django does (``TestCase`` classes
  first, ``TransactionTestCase`` and others after, plain unittest last),
  each class contiguous so ``setUpClass`` runs once; ``shuffle`` and
  ``reverse`` work as Django's ``--shuffle`` and ``--reverse``;
* ``stopTestRun``: destroys the test databases (or lets the
  ``tearDownTestDatabases`` hook do it) and tears the environment down.
  The garbage collector runs less often until the first test; its last walk
  at exit is skipped only if asked (``core.garbage_collection``).

A settings module that does not import, a label that names nothing, a
database server that cannot be reached, a test database name that is a
real database's name, or a bad value or unknown key in ``[django]`` stops
the run with one line that says what to fix.

Configuration (every key with its default)::

    [django]
    # dotted settings module; DJANGO_SETTINGS_MODULE when empty
    settings =
    # ask before destroying an old test database; unset: ask when stdin is
    # a terminal, as manage.py test does
    # interactive = True
    # Django's --shuffle: a seed, or "random"; empty for no shuffling
    shuffle =
    # Django's --reverse
    reverse = False
    # Django's --timing: how long database set-up and tear-down took
    timing = False
    # Django's --debug-mode: DEBUG = True while tests run
    debug-mode = False
    # seconds a database build runs before its progress shows
    progress-after = 2
    # also collect nose2's test functions, generators and plain Test* classes
    nose2-collection = False
    # worker processes, read by nose_speedup.plugins.parallel: N, auto or
    # auto-K; empty runs serially
    parallel =
    # the interpreter's last garbage collection at exit; False skips it (0.1-0.3 s)
    # and the finalizers of objects in cycles: unflushed bytes are lost
    collect-at-exit = True

Command line (beats the config): ``--django-settings MODULE``,
``--django-shuffle SEED`` (``random`` for a new seed), ``--django-reverse``,
``--django-interactive``/``--django-noinput``, ``--django-timing``,
``--django-debug-mode`` and ``--django-nose2-collection``. A path label
(``shop/``, ``shop/tests/test_orders.py``) is loaded by its dotted name.

nose2's ``mp`` plugin is refused (it runs ``tearDownClass`` twice per worker
and hangs when one dies): use ``--django-parallel N``.
"""

import sys

from nose2.events import Plugin

from nose_speedup import config, hooks, options
from nose_speedup.compat.nose2_compat import OncePerSession
from nose_speedup.core import (
    collection, configure, fixture_errors, garbage_collection, logging_setup,
    plugin_order, reporting, unloaded_flags,
)
from nose_speedup.errors import reported_by

SOURCE = "django plugin"

class DjangoPlugin(Plugin, metaclass=OncePerSession):
    configSection = "django"
    alwaysOn = True

    def __init__(self):
        self.config = config.StrictSection(self.session, self.configSection, SOURCE)
        for name, value in options.read("django", self.config).items():
            setattr(self, name, value)
        if self.interactive is None:  # ask when stdin is a terminal, as manage.py test does
            self.interactive = bool(sys.stdin and sys.stdin.isatty())
        options.add_flags(self, self._set_option)
        self.test_run = self.collection = None
        self.test_labels = []
        self.outcome_names = reporting.OutcomeNames(self.session)
        hooks.declare(self)
        self.gc_thresholds = garbage_collection.defer_during_set_up()

    def _set_option(self, option, value):
        setattr(self, option.name, value)

    def pluginsLoaded(self, event):
        unloaded_flags.offer(self.session)

    def handleArgs(self, event):
        hooks.put_in_order(self.session)
        unloaded_flags.refuse(event.args)
        with reported_by(SOURCE):
            plugin_order.refuse_mp(self.session)
        logging_setup.remove_nose2_console_handler(self.session.logLevel)
        self.collection = collection.DjangoCollection(self.session, self.nose2_collection)

    def loadTestsFromName(self, event):
        return self.collection.load_name(event)

    def loadTestsFromModule(self, event):
        return self.collection.load_module(event)

    def moduleLoadedSuite(self, event):
        self.collection.call_load_tests(event)

    def handleDir(self, event):
        return self.collection.handle_dir(event)

    def matchDirPath(self, event):
        return self.collection.match_dir(event, self.test_labels)

    def loadTestsFromTestCase(self, event):
        return self.collection.load_test_case(event)

    def createTests(self, event):
        with reported_by(SOURCE):
            configure.configure_django(configure.resolve_settings_module(self.settings_module))
            self.test_labels = self.collection.take_labels(event.testNames)

    def createdTestSuite(self, event):
        from nose_speedup.core.environment import DjangoTestRun

        with reported_by(SOURCE):
            self.test_run = DjangoTestRun(
                self.session.hooks, self.session.verbosity, self.interactive, self.reverse,
                self.shuffle_seed, timing=self.timing, debug_mode=self.debug_mode,
                progress_after=self.progress_after,
                recorder=hooks.find_recorder(self.session),
            )
            self.test_run.set_up(event.suite)

    def startTestRun(self, event):
        garbage_collection.restore(self.gc_thresholds)
        if self.test_run is not None:
            event.suite = self.test_run.order(event.suite, self.test_labels)

    def setTestOutcome(self, event):
        self.outcome_names.outcome_set(event)
        fixture_errors.shorten_fixture_error(event, self.session.verbosity)

    def startTest(self, event):
        self.outcome_names.test_started(event)

    def reportError(self, event):
        self.outcome_names.reported(event)

    reportSkip = reportError

    def stopTestRun(self, event):
        if self.test_run is not None:
            self.outcome_names.end_dots(sys.stderr)  # before the tear-down's lines
            self.test_run.tear_down()
        if not self.collect_at_exit:
            garbage_collection.skip_the_last_collection()
