"""One parallel run, from nose2's suite to the closing line.

``start_workers`` starts the worker processes early, before the test
databases exist (the plugin calls it when the suite is loaded), so that
their Python start-up, ``django.setup()`` and test module imports overlap
the main process's database set-up; with ``fast_flush`` they flush as the
fast-flush plugin does. ``ParallelRun(suite, processes, bundling, capture,
workers)`` cuts the suite into units; ``execute(result,
serial)`` runs them: in worker processes, each with its copies of the test
databases, or through ``serial`` (nose2's own execution, with the bundling
plugin's) when fewer than two units can go to a worker or one process is
asked for, as Django runs serially with one test class or one process.
Units that cannot be sent to a worker run in the main process afterwards.
Units are handed out longest first, by the durations file's figures when it
has some (``units.recorded_weights``), ``measured`` returns what the
workers timed, for the durations file, ``flush_figures`` what their
fast flushes did, for the fast-flush plugin's closing line, ``dependencies``
what their tests used, for the affected plugin's record, and
``bundle_figures`` what the bundles of every process did, for the timing
plugin's "saved" line (``summary_lines`` leaves their counts to that line
when asked).
"""

import sys
import time

from nose_speedup.bundling.plan import counts_text, plural
from nose_speedup.parallel import clones, shares, units, worker
from nose_speedup.parallel.dispatcher import Dispatcher
from nose_speedup.parallel.workers import Workers
from nose_speedup.parallel.modules import KeptModules
from nose_speedup import timeline


def start_workers(count, bundling, capture, modules, fast_flush=False, collect_at_exit=True,
                  affected=None):
    """Start ``count`` workers; they set Django up and import ``modules``
    (and record what their tests use under ``affected``, the project root)."""
    def start(slot):
        return worker.WorkerStart(
            slot, bundling, capture, tuple(modules), fast_flush, collect_at_exit, affected
        )

    return Workers({slot: start(slot) for slot in range(1, count + 1)}), start


def size_of(unit):
    return float(unit.size)


def possible_units(tests, bundling, processes):
    """How many units ``tests`` make at most, bundles split for ``processes``
    workers as by test counts: how many workers are worth starting early."""
    made = units.make_units(tests, bundling)
    return len(shares.split(made, processes, size_of))


class ParallelRun:
    def __init__(self, suite, processes, bundling, capture, workers=None, durations=None,
                 fast_flush=False, collect_at_exit=True, serial_flag="--django-parallel",
                 recorder=None, affected=None):
        from django.test.utils import iter_test_cases

        self.suite = suite
        self.serial_flag = serial_flag  # as the user spells it: nose2's or manage.py test's
        self.recorder = recorder  # the timing plugin's, for the copies' seconds
        self.bundling = bundling
        self.capture = capture
        tests = list(iter_test_cases(suite))
        made = units.make_units(tests, bundling)
        self.weights = units.recorded_weights(made, durations) if durations else None
        self.units = shares.number(
            shares.split(made, processes, self.weights or size_of, durations)
        )
        self.sendable = [unit for unit in self.units if unit.pickle()]
        self.in_main = [unit for unit in self.units if unit.payload is None]
        self.processes = min(processes, len(self.sendable))
        if workers is None and self.parallel:
            modules = dict.fromkeys(type(test).__module__ for test in tests)
            workers = start_workers(
                self.processes, bundling, capture, modules, fast_flush, collect_at_exit,
                affected,
            )
        self.workers = workers  # (Workers, the WorkerStart maker) or None
        self.dispatcher = None
        self.main_bundles = []  # BundleFigures of the units run in this process
        self.copy_seconds = None
        self.wait_seconds = None
        self.databases = None  # the copies, while they are being dropped

    @property
    def parallel(self):
        return self.processes > 1

    def execute(self, result, serial):
        if not self.parallel:
            if self.workers is not None:
                self.workers[0].stop()
            serial(self.suite, result)
            return
        with timeline.span(timeline.RUN, f"tests in {self.processes} worker processes"):
            self.execute_in_workers(result)

    def execute_in_workers(self, result):
        from django.test.runner import DiscoverRunner

        workers, start = self.workers
        workers.keep(self.processes, start)
        aliases = DiscoverRunner(verbosity=0).get_databases(self.suite)
        databases = clones.WorkerDatabases(aliases, self.processes, self.recorder)
        sys.stderr.write(
            f"Running {plural(len(self.units), 'unit')} of work in {self.processes} processes, "
            f"each on its own copy of the test databases ({self.serial_flag} 1 runs serially)\n"
        )
        try:
            started = time.perf_counter()
            databases.create()
            copied = time.perf_counter()
            self.copy_seconds = copied - started
            serialized = databases.serialized()
            per_worker = {
                slot: worker.WorkerDatabases(databases.settings_for(slot), serialized)
                for slot in range(1, self.processes + 1)
            }
            order = units.schedule(self.sendable, weights=self.weights)
            self.dispatcher = Dispatcher(result, order, workers, per_worker)
            self.dispatcher.run()
            if self.dispatcher.last_ready is not None:
                self.wait_seconds = max(0.0, self.dispatcher.last_ready - copied)
        except BaseException:
            workers.stop()
            self.report_drop_errors(databases.destroy())
            raise
        workers.stop()
        databases.destroy_in_background()
        self.databases = databases
        kept = KeptModules()  # the main process keeps modules set up as a worker does
        for unit in self.in_main:
            if result.shouldStop:
                break
            self.main_bundles.extend(worker.run_unit(unit.tests, result, self.bundling, kept))
        kept.leave_all(result)

    def finish(self):
        """Wait for the database copies to be dropped (``execute`` started it)."""
        if self.databases is not None:
            self.report_drop_errors(self.databases.finish())
            self.databases = None

    @staticmethod
    def report_drop_errors(errors):
        for error in errors:
            sys.stderr.write(f"parallel plugin: could not drop a database copy: {error}\n")

    def measured(self):
        """What the workers timed, as sections of the durations file:
        ``{"tests": {test id: seconds}, "classes": {module.QualName: seconds}}``."""
        tests, classes = {}, {}
        for unit, seconds in self.dispatcher.seconds if self.dispatcher else ():
            for index, value in seconds["tests"].items():
                tests[unit.tests[index].id()] = value
            classes.update(seconds["classes"])
        return {"tests": tests, "classes": classes}

    def flush_figures(self):
        """What the workers' fast flushes did (``fast_flush.command.Figures``,
        one per unit), for the fast-flush plugin's closing line."""
        return list(self.dispatcher.flush_figures) if self.dispatcher else []

    def dependencies(self):
        """What the workers' tests used, one ``{scope: (code, reads)}`` per
        message (``nose_speedup.affected.worker``)."""
        return list(self.dispatcher.dependencies) if self.dispatcher else []

    def bundle_figures(self):
        """What the bundles did in every process, workers and main
        (``bundling.bundle.BundleFigures``, one per bundle), for the timing
        plugin's "saved" line and durations file."""
        return (self.dispatcher.bundles if self.dispatcher else []) + self.main_bundles

    def split_line(self, split):
        """Which bundles were split, and the loads that cost."""
        loads = {}
        for figures in self.bundle_figures():
            loads[figures.name] = loads.get(figures.name, 0) + figures.loads
        parts = [
            f"{name} in {count} shares ({plural(loads.get(name, 0), 'load')} instead of 1)"
            for name, count in split.items()
        ]
        return (
            f"parallel: split {plural(len(split), 'fixture bundle')} that held up the run, "
            f"each share loading its fixtures once in its worker: {'; '.join(parts)}"
        )

    def summary_lines(self, bundle_counts=True):
        """The closing lines; without the bundling counts when
        ``bundle_counts`` is false (the timing plugin prints them)."""
        if not self.parallel or self.dispatcher is None:
            return []
        order = "recorded durations" if self.weights else "test counts"
        waited = (
            "" if self.wait_seconds is None
            else f", then waited {self.wait_seconds:.2f} s for the workers to be ready"
        )
        split = shares.split_bundles(self.units)
        whole = sum(unit.bundled and unit.share is None for unit in self.units)
        lines = [
            f"parallel: {plural(len(self.sendable), 'unit')} of work in {self.processes} "
            f"processes ({plural(whole, 'fixture bundle')} kept whole, TestCase units longest "
            f"first by {order}); {self.processes} copies "
            f"of the test databases made in {self.copy_seconds:.2f} s{waited}"
        ]
        if split:
            lines.append(self.split_line(split))
        if self.in_main:
            lines.append(
                f"parallel: {plural(len(self.in_main), 'unit')} ran in the main process: "
                "their tests cannot be pickled to a worker"
            )
        if self.dispatcher.deaths:
            lines.append(
                f"parallel: {plural(self.dispatcher.deaths, 'worker process')} died; "
                "their unfinished tests are reported as errors"
            )
        counts = counts_text(self.bundle_figures())
        if self.bundling and bundle_counts and counts:
            lines.append(f"fixture bundling: {counts}")
        return lines
