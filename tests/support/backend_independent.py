"""Tests marked ``backend_independent`` run once per Python in CI (on the
first database of its matrix entry), and every run says where they ran.

A test is marked ``@pytest.mark.backend_independent`` (a whole file:
``pytestmark = pytest.mark.backend_independent``) when its outcome cannot
depend on ``NOSE_SPEEDUP_TEST_DB``: it touches no database, or only SQLite
whatever the variable says, or what it checks happens before any database
exists (configuration errors, test discovery, the mapping of flags). The
suite run on one database of a CI entry runs them; the runs on the other
databases of that entry leave them out with ``-m "not backend_independent"``
(``.ci/run``). A test that is not marked runs on every database.

Leaving them out where nothing else runs them would lose them silently, so
``-m "not backend_independent"`` with ``NOSE_SPEEDUP_TEST_DB=sqlite`` is
refused. The end of every run names the files whose marked tests ran here or
were left out here, e.g.::

    backend-independent tests: 58 left out here (-m "not backend_independent";
    they run on this Python's first database), in tests/functional/django/test_config.py (29), ...

Under pytest-xdist each worker collects the whole suite; the first worker's
counts travel to the controller in ``workeroutput``.
"""

from collections import Counter

import pytest

from tests.support.databases import selected_backend

MARKER = "backend_independent"
LEAVE_OUT = f"not {MARKER}"
OUTPUT_KEY = "nose_speedup_backend_independent"


def file_of(nodeid):
    return nodeid.split("::", 1)[0]


def leaves_out_marked_tests(config):
    """Does ``-m`` leave every marked test out: is ``not backend_independent``
    one of the terms it ands together (``-m "not backend_independent and
    not slow"``)? An expression with ``or`` is not read."""
    expression = " ".join((config.getoption("markexpr", "") or "").split())
    if " or " in f" {expression} ":
        return False
    return LEAVE_OUT in (term.strip("() ") for term in expression.split(" and "))


class BackendIndependentReport:
    """Counts the marked tests that run here and the ones ``-m`` left out,
    per file, and writes one line each at the end of the run."""

    def __init__(self, config):
        self.config = config
        self.counts = None  # {"ran": {file: n}, "left out": {file: n}}

    @pytest.hookimpl(tryfirst=True)
    def pytest_deselected(self, items):
        # With -m "not backend_independent" every marked test is left out,
        # whether -m or -k deselected it first; without it, -k is all.
        if leaves_out_marked_tests(self.config):
            self._count("left out", items)

    def pytest_collection_finish(self, session):
        self._count("ran", session.items)
        if hasattr(self.config, "workerinput"):
            self.config.workeroutput[OUTPUT_KEY] = self.counts

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error):
        received = getattr(node, "workeroutput", {}).get(OUTPUT_KEY)
        if self.counts is None and received is not None:
            self.counts = received

    def _count(self, outcome, items):
        self.counts = self.counts or {"ran": {}, "left out": {}}
        files = Counter(file_of(item.nodeid) for item in items if item.get_closest_marker(MARKER))
        for path, number in files.items():
            self.counts[outcome][path] = self.counts[outcome].get(path, 0) + number

    def pytest_terminal_summary(self, terminalreporter):
        if hasattr(self.config, "workerinput") or not self.counts:
            return
        backend = selected_backend()
        where = {
            "ran": f"ran here ({backend})",
            "left out": (
                f'left out here (-m "{LEAVE_OUT}"; they run on this Python\'s first database)'
            ),
        }
        for outcome in ("ran", "left out"):
            files = self.counts[outcome]
            if files:
                listed = ", ".join(f"{path} ({files[path]})" for path in sorted(files))
                terminalreporter.write_line(
                    f"backend-independent tests: {sum(files.values())} {where[outcome]}, "
                    f"in {listed}"
                )


def configure(config):
    """Refuse a selection that runs the marked tests nowhere; register the
    report (in the controller and in each worker)."""
    if leaves_out_marked_tests(config) and selected_backend() == "sqlite":
        raise pytest.UsageError(
            f'-m "{LEAVE_OUT}" with NOSE_SPEEDUP_TEST_DB=sqlite would run the '
            f"{MARKER} tests nowhere: leave them out only on a server backend "
            "(NOSE_SPEEDUP_TEST_DB=postgresql or mariadb), after a SQLite run"
        )
    config.pluginmanager.register(BackendIndependentReport(config), "nose-speedup-backend-split")
