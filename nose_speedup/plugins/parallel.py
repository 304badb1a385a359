"""Run a Django suite in several processes, each fixture bundle whole.

Like Django's ``manage.py test --parallel``, with the speed-ups kept: the
unit of work is a fixture bundle (all its classes, in order; its fixtures
are loaded once, by the worker that runs it) or a class that is not
bundled, so a class's tests never split across processes. Workers start as
soon as the tests are loaded (their start-up overlaps the building of the
test databases); each has its own copy of every test database, made at
once for all workers and dropped at the end. Outcomes are replayed in the
main process as each test ends, so nose2's reporter, ``-v``,
``--fail-fast`` (every worker stops after its current test), ``-B`` and
junit-xml see what a serial run shows. A worker that dies is reported as
errors of the tests it had not finished, and a new worker takes its place.
Ctrl-C terminates every worker before the database copies are dropped.

Order: ``TestCase`` units before ``TransactionTestCase`` and other units
(Django's groups); ``TestCase`` units the longest first, by the seconds of
the durations file (``nose_speedup.timing.store``) or else the test counts,
the others in Django's order (``parallel.units`` says why). A bundle whose
expected time is more than a worker's fair share is split into contiguous
shares of whole classes, each loading the fixtures once in the worker that
runs it (``parallel.shares``); the closing line says which and what it cost.
A worker keeps a module set up while its units use it and gets the queued
units of its modules first: ``setUpModule`` once per module per worker
(Django's ``--parallel``: once per class), ``tearDownModule`` when its next
unit leaves the module or it has no more units; an outcome several workers
report alike is reported once. Tests that cannot be
pickled run in the main process after the others. With one process, or
fewer than two units, the run is serial, as Django's is.

Design: the plugin wraps nose2's ``executeTests`` in ``startTestRun`` as the
outermost wrapper (last on that hook, ``nose_speedup.hooks``); in parallel it does
not call the wrapped chain (the bundling plugin's among them) but builds
the bundles in each worker with the same ``BundledRun``.

With the fast-flush plugin switched on (``--fast-flush``, ``always-on``, or
``manage.py test``) the workers flush as it does; else as Django does.

Hooks: ``handleArgs`` (checks the value and that the django plugin is
loaded), ``createdTestSuite`` (after selection and sharding, before the
test databases: starts the workers for the tests left), ``startTestRun``,
``stopTestRun`` (fires hooks of this plugin's: ``recordDurations`` with a
``RecordDurationsEvent`` holding the seconds the workers measured,
``recordWorkerBundles`` with a ``WorkerBundlesEvent`` holding what the
fixture bundles of every process did, and ``recordWorkerFlushes`` with a
``WorkerFlushesEvent`` holding what their fast flushes did, and when the
affected plugin records, ``recordWorkerDependencies`` with what their tests
used; ``nose_speedup.hooks``), ``afterSummaryReport`` (the closing
lines; the bundling counts are the timing plugin's "saved" line when it is
loaded, as in a serial run). ``manage.py test`` with
``Nose2TestRunner`` maps ``--parallel N|auto`` (and
``DJANGO_TEST_PROCESSES``) onto it.

Switch: ``--django-parallel N``, ``auto`` (Django's) or ``auto-K`` (all
cores but K); or in the django plugin's section::

    [unittest]
    plugins = nose_speedup.plugins.django
              nose_speedup.plugins.bundling
              nose_speedup.plugins.parallel

    [django]
    # worker processes: N, auto or auto-K; empty (or 1) runs serially
    parallel =

nose2's ``mp`` plugin is refused at start-up by the django plugin; nose2's
``--collect-only`` runs serially. Tracebacks from workers are printed as the
worker formatted them; a worker's output without ``-B`` goes straight to
the terminal. Coverage of the workers: the recipe of docs/parallel.rst
(coverage.py's ``concurrency = multiprocessing``). A fixture bundle larger
than a worker's fair share is split into contiguous shares, one load each
(``nose_speedup.parallel.shares``). With ``[fixture-bundling] testcases =
all`` the workers bundle plain ``TestCase`` classes too.
"""

import os

from nose2.events import Plugin

from nose_speedup import config, hooks, options
from nose_speedup.compat.nose2_compat import OncePerSession, registered_plugins_from
from nose_speedup.errors import ConfigurationError
from nose_speedup.parallel import switches
from nose_speedup.plugins import bundling as bundling_plugin

DJANGO_PLUGIN_MODULE = "nose_speedup.plugins.django"
COLLECT_PLUGIN_MODULE = "nose2.plugins.collect"
BUFFER_PLUGIN_MODULE = "nose2.plugins.buffer"
FAST_FLUSH_PLUGIN_MODULE = "nose_speedup.plugins.fast_flush"
# Prints the bundling counts in its "saved" line when loaded.
TIMING_PLUGIN_MODULE = "nose_speedup.plugins.timing"
# Its workers record what their tests use when it is switched on.
AFFECTED_PLUGIN_MODULE = "nose_speedup.plugins.affected"


class DjangoParallel(Plugin, metaclass=OncePerSession):
    alwaysOn = True

    def __init__(self):
        # Its key, and collect-at-exit (workers collect at exit as the main
        # process does), are in the django plugin's section.
        self.value, self.collect_at_exit = "", True
        self.source = options.find_flag("--django-parallel-source").default
        if self.session is not None:
            section = config.StrictSection(self.session, "django", switches.SOURCE)
            self.value = options.read("parallel", section)["value"]
            self.collect_at_exit = section.read_option(options.find("django", "collect-at-exit"))
        self.where = "[django] parallel ="
        self.run = None
        self.workers = None  # started early by createdTestSuite
        options.add_flags(self, self._set_option)
        hooks.declare(self)

    def _set_option(self, option, value):
        if option.name == "source":
            self.source = value
        else:
            self.value, self.where = value, option.flag

    def handleArgs(self, event):
        hooks.put_in_order(self.session)
        self.value = switches.check(self.value, self.where)
        self.serial_flag = switches.serial_flag(self.source)
        if self.value and not registered_plugins_from(self.session, DJANGO_PLUGIN_MODULE):
            raise ConfigurationError(
                "parallel plugin",
                f"{self.where} {self.value} needs the django plugin, which sets up the test "
                f"databases the workers copy; add '--plugin {DJANGO_PLUGIN_MODULE}' to the "
                f"command line or '{DJANGO_PLUGIN_MODULE}' to 'plugins' in [unittest]",
            )

    def _bundling(self):
        """The bundling mode (``bundling.rule``) when bundling is on, else False."""
        return bundling_plugin.mode_of(self.session) or False

    def _plugged(self, module):
        return bool(registered_plugins_from(self.session, module))

    def createdTestSuite(self, event):
        """Start the workers now: they set Django up while the databases are made."""
        processes = switches.processes(self.value)
        if processes <= 1 or self._plugged(COLLECT_PLUGIN_MODULE) or event.suite is None:
            return
        from django.test.utils import iter_test_cases

        from nose_speedup.parallel import execution

        tests = list(iter_test_cases(event.suite))
        count = min(processes, execution.possible_units(tests, self._bundling(), processes))
        if count > 1:
            modules = dict.fromkeys(type(test).__module__ for test in tests)
            self.workers = execution.start_workers(
                count, self._bundling(),
                self._plugged(BUFFER_PLUGIN_MODULE), modules,
                self._plugged(FAST_FLUSH_PLUGIN_MODULE), self.collect_at_exit,
                self._affected_root(),
            )

    def _affected_root(self):
        return os.getcwd() if self._plugged(AFFECTED_PLUGIN_MODULE) else None

    def startTestRun(self, event):
        processes = switches.processes(self.value)
        if processes <= 1 or self._plugged(COLLECT_PLUGIN_MODULE):
            return
        serial = event.executeTests

        def execute_in_parallel(suite, result):
            from nose_speedup.parallel.execution import ParallelRun
            from nose_speedup.timing import location, store

            self.run = ParallelRun(
                suite, processes, self._bundling(),
                self._plugged(BUFFER_PLUGIN_MODULE), self.workers,
                store.read(location.durations_path(self.session)),
                self._plugged(FAST_FLUSH_PLUGIN_MODULE), self.collect_at_exit,
                serial_flag=self.serial_flag, recorder=hooks.find_recorder(self.session),
                affected=self._affected_root(),
            )
            self.workers = None
            self.run.execute(result, serial)

        event.executeTests = execute_in_parallel

    def stopTestRun(self, event):
        if self.workers is not None:  # the run never got to its tests
            self.workers[0].stop()
            self.workers = None
        if self.run is not None and self.run.parallel:
            record = hooks.RecordDurationsEvent(self.run.measured())
            getattr(self.session.hooks, hooks.RECORD_DURATIONS)(record)
            bundles = hooks.WorkerBundlesEvent(self.run.bundle_figures())
            getattr(self.session.hooks, hooks.RECORD_WORKER_BUNDLES)(bundles)
            flushes = hooks.WorkerFlushesEvent(self.run.flush_figures())
            getattr(self.session.hooks, hooks.RECORD_WORKER_FLUSHES)(flushes)
            used = hooks.WorkerDependenciesEvent(self.run.dependencies())
            getattr(self.session.hooks, hooks.RECORD_WORKER_DEPENDENCIES)(used)

    def afterSummaryReport(self, event):
        if self.run is not None:
            self.run.finish()
            timing = self._plugged(TIMING_PLUGIN_MODULE)
            for line in self.run.summary_lines(bundle_counts=not timing):
                event.stream.writeln(line)
