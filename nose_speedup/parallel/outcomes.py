"""Test outcomes, sent from a worker process and replayed in the main one.

A worker runs its tests with a ``StreamingResult``: it sends one message per
test as soon as the test ends (its ``startTest``, outcome and ``stopTest``
calls, with their errors); the index of the test it starts goes to a value
shared with the main process (no message, no wait), so that the main process
knows what a worker that dies was running. Outcomes outside a test
(a ``setUpClass`` that failed) are sent at once. The main process replays
each message on nose2's result, as if the test had run there: the reporter,
``-v``, junit-xml and failfast see what they would see in a serial run.

The worker also times its tests where they run (a time replayed in the main
process would measure the pipe): each test from ``startTest`` to
``stopTest``, and the time between tests is counted to the class whose test
comes next (its ``setUpClass``, its bundle's fixture load, the previous
class's ``tearDownClass``), the time after the last test to the last class.

Errors cross the process boundary as the exception (pickled; a stand-in
naming its type and message when it does not pickle) and the traceback as the
worker formatted it, without unittest's own frames: nose2 accepts formatted
lines in place of a traceback object (its ``mp`` plugin sends them too), so
the reporter and junit-xml print exactly what a serial run prints, with or
without ``tblib``. Traceback objects themselves are not carried, so a
post-mortem debugger cannot walk a worker's frames (nor can it under
Django's ``--parallel``).
"""

import pickle
import sys
import time
import traceback
import unittest

from nose_speedup import hooks
from nose_speedup.compat import unittest_compat


# Set on a main-process test (to the worker's slot) before its outcomes are
# replayed: plugins watching ``startTest`` can tell that it ran in a worker,
# on that worker's copies of the test databases (the reuse-db plugin does not
# count a TransactionTestCase that ran on a copy as dirtying the kept database).
# Set on each test a worker ran (nose_speedup.hooks says who reads it).
WORKER_SLOT = hooks.WORKER_SLOT
ran_in_worker = hooks.ran_in_worker


class RemoteError(Exception):
    """An error from a worker process whose exception could not be pickled."""


def _in_unittest(tb):
    return unittest_compat.is_unittest_frame(tb.tb_frame)


def relevant_frames(tb, is_failure):
    """The traceback without unittest's own frames, as unittest prints it:
    the leading ones, and for a failure those of the assert method."""
    while tb is not None and _in_unittest(tb):
        tb = tb.tb_next
    if not is_failure:
        return tb
    previous, current = tb, tb.tb_next if tb is not None else None
    while current is not None:
        if _in_unittest(current):
            previous.tb_next = None
            break
        previous, current = current, current.tb_next
    return tb


def pack_error(err):
    exc_type, value, tb = err
    tb = relevant_frames(tb, isinstance(value, AssertionError))
    text = "".join(traceback.format_exception(exc_type, value, tb))
    try:
        value_bytes = pickle.dumps(value)
        pickle.loads(value_bytes)
    except Exception:
        value_bytes = None
    return (f"{exc_type.__module__}.{exc_type.__qualname__}", str(value), value_bytes, text)


def unpack_error(packed):
    """An exc_info tuple whose traceback is the worker's formatted text."""
    type_name, message, value_bytes, text = packed
    value = pickle.loads(value_bytes) if value_bytes is not None else None
    if value is None:
        value = RemoteError(f"{type_name}: {message}")
    return (type(value), value, text)


def error_without_traceback(value):
    """An exc_info tuple for an error raised in the main process about a worker."""
    return (type(value), value, "".join(traceback.format_exception_only(type(value), value)))


class StreamingResult(unittest.TestResult):
    """A worker's result: sends outcomes through ``send`` as they happen.
    Tests are named by their index in the unit; anything else (unittest's
    stand-in for a failed ``setUpClass``) by its description."""

    def __init__(self, send, tests, stop_event, capture, current):
        super().__init__()
        self.current = current  # shared with the main process: the test running
        self.send = send
        self.indexes = {id(test): index for index, test in enumerate(tests)}
        self.stop_event = stop_event
        self.capture = capture
        self.events = None
        self.saved_streams = None
        self.last_mark = time.perf_counter()
        self.test_started = None
        self.current_class = None
        self.test_seconds = {}  # index in the unit -> seconds
        self.class_seconds = {}  # module.QualName -> seconds outside its tests
        from nose_speedup import timeline
        from nose_speedup.timing import store

        # When each class ran, for the HTML report's timeline (the worker
        # sends the spans with the unit's figures).
        self.class_spans = timeline.ClassSpans(
            store.class_name, skip=lambda test: id(test) not in self.indexes
        )
        self.class_spans.start_run()

    def seconds(self):
        """What the worker measured (the module docstring says how): a dict
        with ``tests`` (index in the unit -> seconds) and ``classes``."""
        if self.current_class is not None:
            self._count_to_class(self.current_class)
        self.class_spans.stop_run()
        return {"tests": self.test_seconds, "classes": self.class_seconds}

    def _count_to_class(self, name):
        now = time.perf_counter()
        self.class_seconds[name] = self.class_seconds.get(name, 0.0) + now - self.last_mark
        self.last_mark = now

    @property
    def shouldStop(self):
        return self.stop_event.is_set()

    @shouldStop.setter
    def shouldStop(self, value):
        if value:
            self.stop_event.set()

    def reference(self, test):
        index = self.indexes.get(id(test))
        return ("test", index) if index is not None else ("other", str(test))

    def record(self, name, test, *payload):
        event = (name, self.reference(test), payload)
        if self.events is None:
            self.send(("events", [event]))
        else:
            self.flush_output()
            self.events.append(event)

    def flush_output(self):
        if self.saved_streams is None:
            return
        out, err = sys.stdout.getvalue(), sys.stderr.getvalue()
        if out or err:
            self.events.append(("output", None, (out, err)))
            for stream in (sys.stdout, sys.stderr):
                stream.seek(0)
                stream.truncate()

    def startTest(self, test):
        from nose_speedup.timing.store import class_name

        self.current_class = class_name(type(test))
        self._count_to_class(self.current_class)
        self.test_started = self.last_mark
        self.class_spans.start_test(test)
        super().startTest(test)
        kind, index = self.reference(test)
        self.current.value = index if kind == "test" else -1
        self.events = [("startTest", self.reference(test), ())]
        if self.capture:
            import io

            self.saved_streams = (sys.stdout, sys.stderr)
            sys.stdout, sys.stderr = io.StringIO(), io.StringIO()

    def stopTest(self, test):
        reference = self.reference(test)
        if reference[0] == "test" and self.test_started is not None:
            self.last_mark = time.perf_counter()
            self.test_seconds[reference[1]] = self.last_mark - self.test_started
            self.test_started = None
        self.class_spans.stop_test(test)
        self.current.value = -1
        super().stopTest(test)
        self.flush_output()
        if self.saved_streams is not None:
            sys.stdout, sys.stderr = self.saved_streams
            self.saved_streams = None
        events, self.events = self.events or [], None
        events.append(("stopTest", self.reference(test), ()))
        self.send(("events", events))

    def addSuccess(self, test):
        self.record("addSuccess", test)

    def addError(self, test, err):
        self.record("addError", test, pack_error(err))

    def addFailure(self, test, err):
        self.record("addFailure", test, pack_error(err))

    def addSkip(self, test, reason):
        self.record("addSkip", test, str(reason))

    def addExpectedFailure(self, test, err):
        self.record("addExpectedFailure", test, pack_error(err))

    def addUnexpectedSuccess(self, test):
        self.record("addUnexpectedSuccess", test)

    def addSubTest(self, test, subtest, err):
        description = unittest_compat.subtest_description(subtest)
        self.record("addSubTest", test, description, None if err is None else pack_error(err))

    def addDuration(self, test, elapsed):  # Python 3.12+
        self.record("addDuration", test, elapsed)


def replay(result, test, name, payload):
    """Call ``name`` on nose2's ``result`` for the main process's ``test``."""
    if name == "output":
        out, err = payload
        sys.stdout.write(out)
        sys.stderr.write(err)
    elif name in ("startTest", "stopTest", "addSuccess", "addUnexpectedSuccess"):
        getattr(result, name)(test)
    elif name in ("addError", "addFailure", "addExpectedFailure"):
        getattr(result, name)(test, unpack_error(payload[0]))
    elif name == "addSkip":
        result.addSkip(test, payload[0])
    elif name == "addSubTest":
        subtest = unittest_compat.make_subtest(test, payload[0])
        result.addSubTest(test, subtest, None if payload[1] is None else unpack_error(payload[1]))
    elif name == "addDuration" and hasattr(result, "addDuration"):
        result.addDuration(test, payload[0])
