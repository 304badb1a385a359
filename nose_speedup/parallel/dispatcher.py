"""The main process of a parallel run: start the workers, hand out units,
replay outcomes, and stop everything whatever happens.

The workers (``workers.Workers``) are started before the test databases exist; a
worker that has set Django up (``booted``) gets its database copies' settings
as soon as the dispatcher runs. Each worker has a pipe of its own, and a
shared value saying which test of its unit it runs (read if it dies). A
worker that is idle gets the next unit from one queue (``units.schedule``'s
order), a unit of a module it has set up first (``next_unit``); outcomes are replayed on nose2's
result as each test ends. When nose2's result says stop (failfast), every
worker is told to stop after its current test and no unit is handed out any
more. A worker that dies (killed, crashed) is noticed through its process
sentinel: the tests of its unit that did not finish are reported as errors
saying so (each counted as run once, as in a serial run), and a new worker
takes its place and its database copy, so the
run goes on and never hangs. A module fixture's outcome that several
workers report alike (a failing ``setUpModule``) is replayed once, as a
serial run reports it (``modules.repeated_module_outcome``). On Ctrl-C, or
any error in the main process, every worker is terminated (then killed)
before the database copies are dropped; the ``KeyboardInterrupt`` then goes
on as in a serial run.
"""

import multiprocessing
import multiprocessing.connection
import time

from nose_speedup.errors import ConfigurationError
from nose_speedup.compat import unittest_compat
from nose_speedup.parallel import modules, outcomes, units
from nose_speedup import timeline

SOURCE = "parallel plugin"


class WorkerDied(Exception):
    """The worker process running a test died before the test ended."""


class Dispatcher:
    def __init__(self, result, scheduled, workers, databases):
        self.result = result
        self.queue = units.UnitQueue(scheduled)
        self.workers = workers  # a started Workers
        self.databases = databases  # slot -> worker.WorkerDatabases
        self.stopping = False
        self.bundles = []  # BundleFigures of each bundle the workers ran
        self.seconds = []  # (unit, what its worker measured)
        self.flush_figures = []  # what the workers' fast flushes did, per unit
        self.dependencies = []  # what the workers' tests used (affected.worker)
        self.deaths = 0
        self.module_outcomes = set()  # module fixture outcomes replayed (each once)
        self.last_ready = None  # when the last worker of the first set became ready
        self.idle_since = {}  # lane -> when its worker got no more unit (timeline)
        self.shares_taken = {}  # slot -> names of the split bundles it ran a share of
        self.parked = {}  # slot -> (worker waiting for a unit, the unit it ran last)

    def run(self):
        workers = self.workers.running
        try:
            while workers:
                waiting = {}
                for process in workers.values():
                    waiting[process.conn] = process
                    waiting[process.process.sentinel] = process
                for ready in multiprocessing.connection.wait(list(waiting)):
                    process = waiting[ready]
                    if workers.get(process.slot) is not process:
                        continue
                    if not self.serve(process):
                        del workers[process.slot]
                        self.after_exit(process, workers)
        finally:
            ended = timeline.wall()
            for lane, since in self.idle_since.items():
                timeline.add(timeline.IDLE, "idle: no unit left", since, ended, lane)
            self.workers.stop()

    def serve(self, process):
        """Handle what ``process`` sent; False once it has exited."""
        try:
            while process.conn.poll():
                self.handle(process, process.conn.recv())
        except (EOFError, OSError):
            process.process.join()
            return False
        if not process.process.is_alive():
            process.process.join()
            return False
        return True

    def handle(self, process, message):
        kind = message[0]
        if kind == "booted":
            process.booted = timeline.wall()
            timeline.add(
                timeline.START_UP, "start-up: Python, django.setup(), test imports",
                process.spawned, process.booted, process.lane,
            )
            process.conn.send(self.databases[process.slot])
        elif kind == "ready":
            timeline.add(
                timeline.WAITING, "waiting for its copies of the test databases",
                process.booted or process.spawned, timeline.wall(), process.lane,
            )
            process.ready = True
            if not self.deaths:
                self.last_ready = time.perf_counter()
            self.hand_out(process)
        elif kind == "broken":
            raise ConfigurationError(
                SOURCE,
                "a worker process could not set Django up (it imports the settings module "
                f"by itself, from DJANGO_SETTINGS_MODULE): {message[1].strip().splitlines()[-1]}. "
                "Fix that, or run with --django-parallel 1",
            )
        elif kind == "events":
            for name, reference, payload in message[1]:
                if modules.repeated_module_outcome(self.module_outcomes, name, reference, payload):
                    continue
                test = None if reference is None else self.resolve(process.unit, reference)
                outcomes.replay(self.result, test, name, payload)
                if name == "stopTest" and reference[0] == "test":
                    process.finished.add(reference[1])
            if self.result.shouldStop and not self.stopping:
                self.stopping = True
                self.workers.stop_event.set()
        elif kind == "dependencies":
            self.dependencies.append(message[1])
        elif kind == "done":
            self.bundles.extend(message[2])
            self.seconds.append((process.unit, message[3]))
            self.add_flush_figures(message[4])
            self.add_spans(process, message[5])
            self.hand_out(process)
        elif kind == "failed":
            self.add_flush_figures(message[3])
            self.add_spans(process, message[4])
            self.report_unfinished(process, f"the worker could not run its unit:\n{message[2]}")
            self.hand_out(process)

    @staticmethod
    def add_spans(process, spans):
        """The unit's span and the spans the worker recorded during it
        (classes, fixture loads), on the worker's lane of the timeline."""
        if process.unit is not None and process.unit_started is not None:
            timeline.add(
                timeline.UNIT, process.unit.describe(), process.unit_started, timeline.wall(),
                process.lane,
            )
        for span in spans:
            span["lane"] = process.lane
        timeline.spans.extend(spans)

    def add_flush_figures(self, figures):
        if figures is not None:
            self.flush_figures.append(figures)

    @staticmethod
    def resolve(unit, reference):
        kind, value = reference
        return unit.tests[value] if kind == "test" else unittest_compat.error_holder(value)

    def hand_out(self, process):
        previous = process.unit
        process.unit, process.finished = None, set()
        if self.stopping or not self.queue:
            self.idle_since.setdefault(process.lane, timeline.wall())
            process.conn.send(None)
            self.unpark()
            return
        taken = self.shares_taken.setdefault(process.slot, set())
        if self.must_wait(process, taken):
            self.parked[process.slot] = (process, previous)
            return
        process.unit = self.next_unit(previous, taken)
        process.unit_started = timeline.wall()
        if process.unit.share is not None:
            taken.add(process.unit.bundle_name)
        for test in process.unit.tests:
            setattr(test, outcomes.WORKER_SLOT, process.slot)
        process.conn.send((process.unit.index, process.unit.payload))
        self.unpark()

    def must_wait(self, process, taken):
        """Whether ``process`` waits rather than load a split bundle twice:
        only shares of bundles it ran a share of are queued, and a worker
        still starting can take them (``parallel.shares``)."""
        if not taken or not self.queue.only_avoided(taken):
            return False
        return any(
            not other.ready for other in self.workers.running.values() if other is not process
        )

    def unpark(self):
        """Hand out to the waiting workers whatever they may take now."""
        for slot, (process, previous) in list(self.parked.items()):
            if self.parked.get(slot) is None:
                continue
            if self.stopping or not self.queue or not self.must_wait(
                process, self.shares_taken.get(slot, set())
            ):
                del self.parked[slot]
                process.unit = previous
                self.hand_out(process)

    def next_unit(self, previous, avoid=()):
        """The unit for a worker that just ran ``previous`` (``UnitQueue.take``):
        a worker leaves a module only when no unit of it is left in the group,
        so it sets each module up once (``modules.KeptModules``); it gets no
        second share of a split bundle in ``avoid`` while other units are
        queued (``parallel.shares``), so it loads each bundle once."""
        return self.queue.take(previous, avoid)

    def after_exit(self, process, workers):
        self.parked.pop(process.slot, None)
        if not process.ready:
            raise ConfigurationError(
                SOURCE,
                f"worker process {process.process.pid} exited (exit code "
                f"{process.process.exitcode}) while setting Django up, before it could "
                "report an error (its own output above says why: it imports the settings "
                "and the test modules by itself, never the main script); fix that, or run "
                "with --django-parallel 1 to see whether the suite runs serially",
            )
        if process.unit is None:
            return
        self.deaths += 1
        self.add_spans(process, [])  # the unit, up to the worker's death
        code = process.process.exitcode
        self.report_unfinished(
            process,
            f"worker process {process.process.pid} died (exit code {code}) while running "
            f"{process.unit.describe()}",
        )
        if self.queue and not self.stopping:
            workers[process.slot] = self.workers.spawn(process.slot)
        self.unpark()

    def report_unfinished(self, process, reason):
        """Report the tests of ``process``'s unit that did not end as errors."""
        unit, current = process.unit, process.current.value
        for index, test in enumerate(unit.tests):
            if index in process.finished:
                continue
            running = index == current
            if self.stopping and not running:
                continue
            when = "this test did not finish" if running else "this test never ran"
            error = WorkerDied(f"{reason}; {when}")
            # A worker sends a test's startTest with its stopTest: none of
            # these was started here, the running one included, and each
            # counts once in "Ran N tests" and junit-xml's tests="N".
            self.result.startTest(test)
            self.result.addError(test, outcomes.error_without_traceback(error))
            self.result.stopTest(test)
            process.finished.add(index)
        process.current.value = -1
