"""One run under the affected plugin: start watching, select, note
outcomes, and merge what the run recorded into the record."""

import os
import sys
import unittest

from nose_speedup.affected import inputs, record, selection, tracer
from nose_speedup.timing import location

OUTCOMES = {
    ("passed", True): "passed", ("passed", False): "unexpected success",
    ("failed", False): "failed", ("failed", True): "expected failure",
    ("error", True): "error", ("error", False): "error",
    ("skipped", True): "skipped", ("skipped", False): "skipped",
}


def module_of_name(dotted):
    """The longest prefix of ``dotted`` that is an imported module."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in sys.modules:
            return ".".join(parts[:end])
    return parts[0]


def module_of(test):
    """The test module of a test, a subtest, or unittest's stand-in for a
    failed ``setUpClass`` (``setUpClass (app.tests.Class)``)."""
    test = getattr(test, "test_case", test)  # a subTest's own test
    if isinstance(test, unittest.TestCase) and type(test).__module__ in sys.modules \
            and not type(test).__module__.startswith("unittest"):
        return type(test).__module__
    description = str(getattr(test, "description", "") or test.id())
    if "(" in description:
        description = description[description.index("(") + 1:].rstrip(")")
    return module_of_name(description)


def test_exists(test_id):
    """Whether ``module.Class.method`` (of a module this run imported) is
    still there; a generated test (``method:2``) is its method's."""
    module = module_of_name(test_id)
    target = sys.modules.get(module)
    if target is None:
        return False
    for name in test_id[len(module) + 1:].split("."):
        target = getattr(target, name.split(":")[0], None)
        if target is None:
            return False
    return True


class AffectedTracking:
    def __init__(self, session, selecting):
        self.session = session
        self.selecting = selecting
        self.root = os.getcwd()
        self.path = record.path_beside(location.durations_path(session))
        self.tracer = tracer.DependencyTracer(self.root)
        self.outcomes = {}  # module -> {test id: outcome}
        self.suite_tests = {}  # module -> [test ids] of what this run runs
        self.classes = {}  # module -> {test classes}
        self.selected = None  # test ids --affected keeps, or None
        self.ran = self.not_run = 0
        self.fixed = None

    def start(self):
        self.tracer.start()

    def module_of(self, test):
        return module_of(test)

    def _tests(self, suite):
        from django.test.utils import iter_test_cases

        return list(iter_test_cases(suite))

    def select(self, suite, first):
        tests = self._tests(suite)
        if first:
            with self.tracer.paused():
                self._choose(tests)
        if self.selected is not None:
            tests = [test for test in tests if test.id() in self.selected]
        if not first and self.tracer.active:
            self.tracer.watch_templates()
            self.tracer.begin_tests()
        self.suite_tests = {}
        self.classes = {}
        for test in tests:
            module = self.module_of(test)
            self.suite_tests.setdefault(module, []).append(test.id())
            self.classes.setdefault(module, set()).add(type(test))
        return unittest.TestSuite(tests)

    def _choose(self, tests):
        if not self.selecting:
            return
        by_module = {}
        for test in tests:
            by_module.setdefault(self.module_of(test), []).append(test.id())
        recorded = record.read(self.path)
        hashes = record.FileHashes(self.root, recorded["files"])
        current = self._environment(hashes, by_module)
        chooser = selection.AffectedSelection(recorded, hashes, current)
        modules = set(chooser.select(by_module))
        self.selected = {test_id for m in modules for test_id in by_module[m]}
        self.ran = len(self.selected)
        self.not_run = len(tests) - self.ran
        sys.stderr.write(selection.summary_line(self.ran, len(tests), chooser) + "\n")
        if self.session.verbosity > 1:
            for module in sorted(chooser.reasons):
                sys.stderr.write(f"  {module}: {chooser.reasons[module]}\n")

    def _environment(self, hashes, by_module, import_time=None, import_reads=None):
        test_files = inputs.module_files(by_module, self.root)
        layout = inputs.project_layout(self.root, hashes, test_files)
        if import_time is None:
            # Selecting: each recorded environment is compared component by
            # component (selection._compare); this hash is not used.
            import_time, import_reads = {}, {}
        if self.fixed is None:  # the same at selection and at the end
            self.fixed = inputs.database_fingerprint(), inputs.distributions_hash()
        return inputs.environment(import_time, import_reads, layout, *self.fixed)

    def note_outcome(self, test, outcome, expected, failed):
        module = self.module_of(test)
        parent = getattr(test, "test_case", None)  # a subTest: its test's outcome
        if parent is not None:
            if not failed:
                return
            test, outcome, expected = parent, "failed", False
        name = test.id() if isinstance(test, unittest.TestCase) else str(test)
        self.outcomes.setdefault(module, {})[name] = OUTCOMES.get((outcome, expected), "error")

    def add_worker(self, sent):
        """What a ``--django-parallel`` worker recorded (``affected.worker``)."""
        unavailable, taken = sent
        if unavailable:
            self.tracer.unavailable = f"in a --django-parallel worker, {unavailable}"
        self.tracer.add(taken)

    def stop(self):
        self.tracer.finish()

    def finish(self):
        """Merge what the run recorded into the record (after ``stop``, and
        after the parallel plugin handed the workers' dependencies on)."""
        if self.tracer.unavailable:
            return [f"affected: nothing recorded: {self.tracer.unavailable}"]
        recorded = record.read(self.path)
        hashes = record.FileHashes(self.root, recorded["files"])
        import_time = inputs.code_units(self.tracer.code[None], self.root, hashes)
        import_reads = inputs.read_hashes(self.tracer.reads[None], self.root, hashes)
        environment, components = self._environment(
            hashes, self.suite_tests, import_time, import_reads)
        modules = {}
        for module in set(self.tracer.code) - {None} | set(self.outcomes):
            tests = {test_id: "not run" for test_id in self.suite_tests.get(module, ())}
            tests.update(self.outcomes.get(module, {}))
            reads = set(self.tracer.reads.get(module, ()))
            labels = {label for cls in self.classes.get(module, ())
                      for label in getattr(cls, "fixtures", None) or ()}
            reads |= inputs.fixture_files(sorted(labels), self.root) if labels else set()
            modules[module] = {
                "environment": environment,
                "code": inputs.code_units(self.tracer.code.get(module, ()), self.root, hashes),
                "reads": inputs.read_hashes(reads, self.root, hashes),
                "tests": tests,
            }
        record.merge(self.path, modules, {environment: components}, hashes.cache_entries(),
                     test_exists)
        return []
