"""One parallel run, from nose2's suite to the closing line.

``ParallelRun(suite, processes, bundling, capture)`` cuts the suite into
units; ``execute(result, serial)`` runs them: in worker processes, each with
its copies of the test databases, or through ``serial`` (nose2's own
execution, with the bundling plugin's) when fewer than two units can go to a
worker or one process is asked for, as Django runs serially with one test
class or one process. Units that cannot be sent to a worker run in the main
process afterwards.
"""

import sys
import time

from nose_speedup.bundling.run import plural
from nose_speedup.parallel import clones, units, worker
from nose_speedup.parallel.dispatcher import Dispatcher


class ParallelRun:
    def __init__(self, suite, processes, bundling, capture):
        from django.test.utils import iter_test_cases

        self.suite = suite
        self.bundling = bundling
        self.capture = capture
        self.units = units.make_units(list(iter_test_cases(suite)), bundling)
        self.sendable = [unit for unit in self.units if unit.pickle()]
        self.in_main = [unit for unit in self.units if unit.payload is None]
        self.processes = min(processes, len(self.sendable))
        self.dispatcher = None
        self.main_counts = []
        self.copy_seconds = None

    @property
    def parallel(self):
        return self.processes > 1

    def execute(self, result, serial):
        if not self.parallel:
            serial(self.suite, result)
            return
        from django.test.runner import DiscoverRunner

        aliases = DiscoverRunner(verbosity=0).get_databases(self.suite)
        databases = clones.WorkerDatabases(aliases, self.processes)
        sys.stderr.write(
            f"Running {plural(len(self.units), 'unit')} of work in {self.processes} processes, "
            "each on its own copy of the test databases (--django-parallel 1 runs serially)\n"
        )
        try:
            started = time.perf_counter()
            databases.create()
            self.copy_seconds = time.perf_counter() - started
            setups = {
                slot: worker.WorkerSetup(
                    slot, databases.settings_for(slot), databases.serialized(),
                    self.bundling, self.capture,
                )
                for slot in range(1, self.processes + 1)
            }
            self.dispatcher = Dispatcher(
                result, units.schedule(self.sendable), self.processes, setups
            )
            self.dispatcher.run()
        finally:
            for error in databases.destroy():
                sys.stderr.write(f"parallel plugin: could not drop a database copy: {error}\n")
        for unit in self.in_main:
            if result.shouldStop:
                break
            self.main_counts.extend(worker.run_unit(unit.tests, result, self.bundling))

    def summary_lines(self):
        if not self.parallel or self.dispatcher is None:
            return []
        lines = [
            f"parallel: {plural(len(self.sendable), 'unit')} of work in {self.processes} "
            f"processes ({plural(sum(unit.bundled for unit in self.units), 'fixture bundle')} "
            f"kept whole); database copies made in {self.copy_seconds:.2f} s"
        ]
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
        counts = self.dispatcher.bundle_counts + self.main_counts
        used = [(classes, loads) for classes, loads in counts if classes]
        if self.bundling and used:
            classes = sum(classes for classes, _ in used)
            loads = sum(loads for _, loads in used)
            lines.append(
                f"fixture bundling: {plural(classes, 'class')} in {plural(len(used), 'bundle')}; "
                f"fixtures loaded {plural(loads, 'time')} instead of {classes}"
            )
        return lines
