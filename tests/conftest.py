"""How the suite spreads over pytest-xdist workers, and its progress one
test file at a time.

setup.cfg runs the suite on one worker per core (``-n auto --dist
loadfile``): a file's tests run on one worker, so the scenario a file copies
and runs once for all its tests (a module-scoped fixture) is made once. The
files named by the ``independent_test_files`` ini key share nothing between
their tests (each ``test_reuse_db`` test builds databases of its own); their
tests go one by one to whichever worker is free, so the longest file no
longer keeps one core busy while the other idles.

xdist's own output is a row of dots with no file names, and most files spend
tens of seconds in scenario subprocesses. Under xdist one line is printed as
each file finishes instead of a dot per passing test (failures, errors and
skips still print their letter at once)::

    [3/9] tests/functional/bundling/test_bundling_shop.py: 31 passed in 41.2 s

A serial run (``-n 0``) keeps pytest's own per-file output.

Tests marked ``backend_independent`` run once per Python in CI, not once per
database; the end of each run says which files' marked tests ran or were
left out (``tests/support/backend_independent.py``).

A test that keeps a file for people to look at (the HTML report's
screenshot) records ``("artifact", path)`` in ``record_property``; the end
of the run lists them (under xdist too: the property travels with the
report)::

    artifact: tests/test_timing_html.py::test_...: /tmp/pytest-of-root/.../report.png
"""

import time
from collections import Counter

import pytest

from tests.support import backend_independent


def pytest_addoption(parser):
    parser.addini(
        "independent_test_files", type="linelist", default=[],
        help="test files (relative to the rootdir) whose tests pytest-xdist's "
        "--dist loadfile may run on different workers: they share no "
        "module- or class-scoped fixture",
    )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    independent = set(config.getini("independent_test_files"))
    if config.getvalue("dist") != "loadfile" or not independent:
        return None
    from xdist.scheduler import LoadFileScheduling

    class Scheduler(LoadFileScheduling):
        """``loadfile``, but each test of an independent file is a unit."""

        def _split_scope(self, nodeid):
            path = file_of(nodeid)
            return nodeid if path in independent else path

    return Scheduler(config, log)


def pytest_configure(config):
    backend_independent.configure(config)
    worker = hasattr(config, "workerinput")
    if getattr(config.option, "numprocesses", None) and not worker:
        config.pluginmanager.register(FileProgress(config), "nose-speedup-file-progress")


ARTIFACT = "artifact"


def pytest_terminal_summary(terminalreporter):
    for reports in list(terminalreporter.stats.values()):
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == ARTIFACT and getattr(report, "when", None) == "call":
                    terminalreporter.write_line(f"{ARTIFACT}: {report.nodeid}: {value}")


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
