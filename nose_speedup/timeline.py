"""When each thing happened in this process: the spans of the HTML report's
timeline (``nose_speedup.timing.html_report``). It imports nothing of the
project, so that every layer that does something worth drawing (the core,
bundling, parallel, the recorder) may write here without importing the
timing capability.

Durations (``recorder``, ``clock``) say how long; the timeline says when, so
a picture can show what ran after what, in which process, and who waited.
Spans are wall-clock times (``time.time()``): one time base for every
process of a run on one machine, which ``time.perf_counter()`` is not
promised to be. A span is a plain dict, picklable and JSON-ready::

    {"kind": "fixtures", "label": "items.json", "start": 1764.2, "end": 1764.9}

with ``"lane"`` when it belongs to another process than the one that
recorded it (the parallel dispatcher records each worker's start-up, units
and idle end in the main process). The worker processes of
``--django-parallel`` hand theirs to the main process after each unit
(``take``); the main process keeps its own here until the report.

Callers: the database phases through ``recorder.record_phase``, Django's
system checks and the test databases' set-up and tear-down
(``core.environment``), each fixture bundle's load
(``bundling.bundle``), each class (``ClassSpans``, driven by the timing
plugin in the main process and by the worker's result in a worker), the
parallel dispatcher. Recording is an append; it happens whether or not the
timing plugin is loaded, as the recorder's figures do.
"""

import contextlib
import time

# The kinds of span, drawn in one colour each (the HTML report's legend).
DATABASE = "database"  # create, migrate, clone, reuse check, restore, tear-down
CHECKS = "checks"  # Django's system checks
FIXTURES = "fixtures"  # one fixture bundle's load
CLASS = "class"  # one test class, set-up and tear-down included
UNIT = "unit"  # one unit of work of a parallel worker
START_UP = "start-up"  # a worker's Python start, django.setup(), test imports
WAITING = "waiting"  # a worker waiting for its copies of the test databases
IDLE = "idle"  # a worker with no unit left, until the last worker ends
RUN = "run"  # the main process's part: set-up, tests, tear-down
KINDS = (RUN, DATABASE, CHECKS, START_UP, WAITING, UNIT, CLASS, FIXTURES, IDLE)

MAIN_LANE = "main process"

spans = []


def wall():
    return time.time()


def start():
    """Forget the spans of an earlier run in this process (the timing plugin
    starts each run with it, as ``recorder.start``)."""
    spans.clear()


def add(kind, label, started, ended, lane=None):
    span = {"kind": kind, "label": label, "start": started, "end": max(started, ended)}
    if lane is not None:
        span["lane"] = lane
    spans.append(span)
    return span


def add_measured(kind, label, perf_started, perf_ended=None):
    """A span between two ``time.perf_counter()`` readings (what ``recorder``
    keeps); ``perf_ended`` defaults to now. Readings are turned into wall
    time by one offset, read when this process imported the module: one
    reading gives one wall time, so spans measured from the same readings
    (a build and its create, migrate and snapshot steps) nest exactly as
    measured."""
    ended = time.perf_counter() if perf_ended is None else perf_ended
    add(kind, label, perf_started + _PERF_TO_WALL, ended + _PERF_TO_WALL)


_PERF_TO_WALL = wall() - time.perf_counter()


@contextlib.contextmanager
def span(kind, label, lane=None):
    started = wall()
    try:
        yield
    finally:
        add(kind, label, started, wall(), lane)


def take():
    """This process's spans so far, removed (a worker sends them on)."""
    taken = list(spans)
    spans.clear()
    return taken


class ClassSpans:
    """One span per test class from the test events alone, as the ``clock``
    counts a class: from the previous test's stop (or ``start_run``) to the
    last test of the class, so its set-up and its bundle's load fall inside
    it. Tests for which ``skip(test)`` is true (outcomes another process
    ran and this one replays) open no span but still move the mark."""

    def __init__(self, name_of, skip=lambda test: False):
        self.name_of = name_of
        self.skip = skip
        self.mark = None
        self.opened = None  # [class name, start, end] of the class running

    def start_run(self):
        self.mark = wall()

    def start_test(self, test):
        moment = wall()
        if self.skip(test):
            self._close()
            return
        name = self.name_of(type(test))
        if self.opened is None or self.opened[0] != name:
            self._close()
            self.opened = [name, self.mark if self.mark is not None else moment, moment]

    def stop_test(self, test):
        self.mark = wall()
        if self.opened is not None and not self.skip(test):
            self.opened[2] = self.mark

    def stop_run(self):
        """The run ended now: the last class's tear-down ends with it."""
        if self.opened is not None:
            self.opened[2] = wall()
        self.finish()

    def finish(self):
        """Close the class still open at its last test's stop (when no
        ``stop_run`` came: the parallel plugin runs the tests)."""
        self._close()

    def _close(self):
        if self.opened is not None:
            name, started, ended = self.opened
            add(CLASS, name, started, ended)
            self.opened = None
