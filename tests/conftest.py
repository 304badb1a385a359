"""Progress of the suite one test file at a time.

setup.cfg runs the suite on pytest-xdist workers (``-n auto --dist
loadfile``); xdist's own output is then a row of dots with no file names, and
most files spend tens of seconds in scenario subprocesses. Under xdist this
plugin prints one line as each file finishes instead of a dot per passing
test (failures, errors and skips still print their letter at once)::

    [3/9] tests/test_bundling_shop.py: 31 passed in 41.2 s

A serial run (``-n 0``) keeps pytest's own per-file output.
"""

import time
from collections import Counter

import pytest


def pytest_configure(config):
    worker = hasattr(config, "workerinput")
    if getattr(config.option, "numprocesses", None) and not worker:
        config.pluginmanager.register(FileProgress(config), "nose-speedup-file-progress")


def file_of(nodeid):
    """``tests/test_x.py`` of ``tests/test_x.py::test_y[param]``."""
    return nodeid.split("::", 1)[0]


def outcome_of(report):
    """The word pytest's closing line counts this report under, if any."""
    xfail = hasattr(report, "wasxfail")
    if report.failed:
        return "failed" if report.when == "call" else "error"
    if report.skipped:
        return "xfailed" if xfail else "skipped"
    if report.when == "call":
        return "xpassed" if xfail else "passed"
    return None


class FileProgress:
    def __init__(self, config):
        self.config = config
        self.expected = None  # {file: number of tests}, from the collection
        self.finished = Counter()  # {file: tests finished}
        self.outcomes = {}  # {file: Counter of outcome words}
        self.started = {}  # {file: time its first report arrived}
        self.files_done = 0
        self.letters_on_line = False  # pytest wrote F, E, s... since our last line

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        # Every worker collects the same tests; the first list is enough.
        if self.expected is None:
            self.expected = Counter(file_of(nodeid) for nodeid in ids)

    def pytest_report_teststatus(self, report, config):
        if report.when == "call" and report.passed and not hasattr(report, "wasxfail"):
            return "passed", "", "PASSED"
        return None

    @pytest.hookimpl(trylast=True)  # after pytest wrote this report's letter
    def pytest_runtest_logreport(self, report):
        path = file_of(report.nodeid)
        self.started.setdefault(path, time.monotonic())
        outcome = outcome_of(report)
        if outcome:
            self.outcomes.setdefault(path, Counter())[outcome] += 1
            self.letters_on_line |= outcome != "passed"
        if report.when == "teardown":
            self.finished[path] += 1
            if self.expected and self.finished[path] == self.expected.get(path):
                self.report_file(path)

    def report_file(self, path):
        self.files_done += 1
        counts = self.outcomes.get(path, Counter())
        words = ", ".join(f"{counts[word]} {word}" for word in sorted(counts)) or "no outcome"
        elapsed = time.monotonic() - self.started[path]
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            if self.letters_on_line:
                reporter.write("\n")
                self.letters_on_line = False
            reporter.write_line(
                f"[{self.files_done}/{len(self.expected)}] {path}: {words} in {elapsed:.1f} s"
            )
