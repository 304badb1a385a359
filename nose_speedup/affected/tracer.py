"""Which of the project's code and files each test module's tests used.

``DependencyTracer`` watches the whole run and files what it sees under a
*scope*: the test module whose test is running, or ``None`` (outside any
test: settings, app loading, collection, database set-up). Code is seen
when a function of a project file starts (``sys.monitoring`` on Python
3.12+, each code object reported once per scope; ``sys.settrace`` before,
a call event per frame); files when they are opened for reading (an audit
hook) and templates when they are rendered (Django's test-only
``template_rendered`` signal, which sees templates the cached loader no
longer opens).

What runs between two tests — the previous class's ``tearDownClass``, a
module's ``tearDownModule`` and ``setUpModule``, the next class's
``setUpClass`` and bundle loads — is filed under both the module before and
the module after, since either one's outcome may depend on it.
"""

import contextlib
import os
import sys
import threading

from nose_speedup.affected import sources

TOOL_NAME = "nose-speedup affected"
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | getattr(os, "O_CREAT", 0)


class DependencyTracer:
    def __init__(self, root):
        self.root = os.path.abspath(root)
        self.code = {None: set()}  # scope -> {(filename, first line)}
        self.reads = {None: set()}  # scope -> {absolute path}
        self.module = None  # the module of the running test, or None
        self.between = (set(), set())  # (code, reads) since the last test stopped
        self.current = self.code[None], self.reads[None]
        self._keep = {}
        self._tool = None
        self.active = False
        self.unavailable = None  # why nothing could be recorded

    # -- what a test run tells it ------------------------------------------

    def start_test(self, module):
        code, reads = self.between
        for scope in {self.module, module} - {None} or {None}:
            self.code.setdefault(scope, set()).update(code)
            self.reads.setdefault(scope, set()).update(reads)
        self.module = module
        self.current = self.code.setdefault(module, set()), self.reads.setdefault(module, set())
        self._restart()
        self._check_tracer()

    def begin_tests(self):
        """The suite starts: what runs before the first test (its class's
        ``setUpClass``, its bundle's load) belongs to the first module."""
        self.stop_test()

    def stop_test(self):
        self.between = (set(), set())
        self.current = self.between
        self._restart()

    def note_read(self, path):
        if self.active and self._is_project(path):
            self.current[1].add(os.path.abspath(path))

    def watch_templates(self):
        """File each template rendered (or included) under the test rendering
        it: the cached loader opens it once per process, so the audit hook
        alone credits it to the first test only. Needs Django set up."""
        from django.test.signals import template_rendered

        template_rendered.connect(self._rendered, dispatch_uid=TOOL_NAME)

    def _rendered(self, sender, template=None, **kwargs):
        name = getattr(getattr(template, "origin", None), "name", None)
        if isinstance(name, str) and os.path.isfile(name):
            self.note_read(name)

    def take(self):
        """``{scope: (code, reads)}`` filed so far, then forgotten (a worker
        sends it after each unit); what ran since the last test stays."""
        taken = {}
        for scope in set(self.code) | set(self.reads):
            code, reads = self.code.get(scope, set()), self.reads.get(scope, set())
            if code or reads:
                taken[scope] = (sorted(code), sorted(reads))
            code.clear()  # emptied in place: self.current may be one of them
            reads.clear()
        return taken

    def add(self, taken):
        """Add what another process's tracer took (``take``), scope by scope."""
        for scope, (code, reads) in taken.items():
            self.code.setdefault(scope, set()).update(tuple(unit) for unit in code)
            self.reads.setdefault(scope, set()).update(reads)

    @contextlib.contextmanager
    def paused(self):
        """Files the recorder itself reads (to hash them) are nobody's input."""
        active, self.active = self.active, False
        try:
            yield
        finally:
            self.active = active

    def finish(self):
        """Stop watching; file what ran after the last test under its module."""
        if self.current is self.between:
            self.start_test(self.module)
        self._check_tracer()
        self.stop()

    def _check_tracer(self):
        """Before 3.12 a tracer started after this one (nose2's
        ``--with-coverage``) takes ``sys.settrace`` over silently: a record
        made blind would miss what the tests ran."""
        if self.active and self._tool is None and sys.gettrace() != self._traced:
            self.unavailable = (
                "another tracer (coverage?) took sys.settrace over during the run; on "
                "Python 3.12+ sys.monitoring records beside it"
            )

    # -- watching -----------------------------------------------------------

    def start(self):
        if sys.version_info >= (3, 12):
            monitoring = sys.monitoring
            for tool in (4, 3, 2):
                if monitoring.get_tool(tool) is None:
                    self._tool = tool
                    break
            else:
                self.unavailable = "every free sys.monitoring tool id is taken"
                return False
            monitoring.use_tool_id(self._tool, TOOL_NAME)
            events = monitoring.events.PY_START | monitoring.events.PY_RESUME
            monitoring.register_callback(self._tool, monitoring.events.PY_START, self._started)
            monitoring.register_callback(self._tool, monitoring.events.PY_RESUME, self._started)
            monitoring.set_events(self._tool, events)
        else:
            if sys.gettrace() is not None:
                self.unavailable = (
                    "another tracer (coverage?) holds sys.settrace; on Python 3.12+ "
                    "sys.monitoring records beside it"
                )
                return False
            sys.settrace(self._traced)
            threading.settrace(self._traced)
        sys.addaudithook(self._audit)
        self.active = True
        return True

    def stop(self):
        if not self.active:
            return
        self.active = False
        if "django.test.signals" in sys.modules:
            sys.modules["django.test.signals"].template_rendered.disconnect(
                dispatch_uid=TOOL_NAME)
        if self._tool is not None:
            sys.monitoring.set_events(self._tool, 0)
            sys.monitoring.register_callback(self._tool, sys.monitoring.events.PY_START, None)
            sys.monitoring.register_callback(self._tool, sys.monitoring.events.PY_RESUME, None)
            sys.monitoring.free_tool_id(self._tool)
            self._tool = None
        else:
            sys.settrace(None)
            threading.settrace(None)

    def _restart(self):
        if self._tool is not None:
            sys.monitoring.restart_events()

    def _is_project(self, filename):
        keep = self._keep.get(filename)
        if keep is None:
            keep = self._keep[filename] = (
                not filename.startswith("<")
                and sources.is_project_file(os.path.abspath(filename), self.root)
                and os.path.isfile(filename)
            )
        return keep

    def _started(self, code, offset):
        if self._is_project(code.co_filename):
            self.current[0].add((code.co_filename, code.co_firstlineno))
        return sys.monitoring.DISABLE

    def _traced(self, frame, event, arg):
        code = frame.f_code
        if self._is_project(code.co_filename):
            self.current[0].add((code.co_filename, code.co_firstlineno))
        return None

    def _audit(self, event, args):
        if event != "open" or not self.active:
            return
        path, mode, flags = (tuple(args) + (None, None, None))[:3]
        if not isinstance(path, (str, bytes)):
            return
        path = os.fsdecode(path)
        if path.endswith((".py", ".pyc")):
            return
        if mode is not None and any(c in str(mode) for c in "wax+"):
            return
        if mode is None and isinstance(flags, int) and flags & WRITE_FLAGS:
            return
        if self._is_project(path) and not os.path.isdir(path):
            self.current[1].add(os.path.abspath(path))
