"""Run only the tests a change can affect: ``--affected``.

For the edit-test loop. A run that records (``--affected``, or ``[affected]
record = True`` for every run) watches which of the project's code each test
module's tests ran (function by function), which project files they read
(fixtures, data files) and which templates they rendered, and what the
whole run depends on (code run at start-up — settings, models, URLconfs —,
migrations and database settings through ``REUSE_DB``'s fingerprint, the
installed packages, the Python version, the list of the project's Python
files). It keeps that in ``affected.json`` beside the durations file, merged
as that file is, so runs of part of the suite, shards and parallel workers
add up.

``--affected`` then runs only the test modules whose recorded inputs changed
(by content), every module with a test that failed, errored or did not run
last time, every new test and every module with no record; a change to a
run-wide input runs everything and says why. The first line says what was
selected, the last never reads as a full run::

    Affected: 37 of 2,729 tests; 3 files changed since the last run (catalog/pricing.py, ...)
    ...
    OK (37 run; 2,692 unaffected and not run)

Tests not run are left out of junit-xml (they are not skipped: nothing about
them was checked). Use it locally; CI keeps running everything. It cannot
see: files read by another process or by C code, code run by a subprocess,
a network or database state outside the test database, and time. Recording
uses ``sys.monitoring`` on Python 3.12+; on 3.10-3.11 ``sys.settrace``
(slower, and not beside another tracer such as coverage: the run then says
it did not record); nor under nose2's ``--collect-only``, which lists the
selected tests. Under ``--django-parallel`` each worker records its own
modules and the main process adds them up. docs/affected.rst has the rest.

.. code-block:: ini

    [affected]
    # record what every run's tests use, with or without --affected
    record = False
"""

import sys

from nose2.events import Plugin

from nose_speedup import config, hooks, options
from nose_speedup.compat.nose2_compat import OncePerSession, registered_plugins_from

SOURCE = "nose_speedup.plugins.affected"
COLLECT_PLUGIN_MODULE = "nose2.plugins.collect"


class AffectedPlugin(Plugin, metaclass=OncePerSession):
    configSection = "affected"

    def __init__(self):
        self.config = config.StrictSection(self.session, self.configSection, SOURCE)
        for name, value in options.read("affected", self.config).items():
            setattr(self, name, value)  # record
        self.selecting = False
        options.add_flags(self, self._set_option)
        self.run = None
        hooks.declare(self)  # recordWorkerDependencies: the parallel plugin's
        if self.record:
            self.register()

    def _set_option(self, option, value):  # --affected: select, and record
        self.selecting = self.record = True
        self.register()

    def handleArgs(self, event):
        from nose_speedup.affected.tracking import AffectedTracking

        hooks.put_in_order(self.session)  # after -k/--tag, before shards and workers
        if not self.registered:  # loaded (nose_speedup.plugins.all), not switched on
            return
        self.run = AffectedTracking(self.session, self.selecting)
        if registered_plugins_from(self.session, COLLECT_PLUGIN_MODULE):
            # It reports every test as passed without running it.
            self.run.tracer.unavailable = "nose2's --collect-only runs no test"
        else:
            self.run.start()

    def createdTestSuite(self, event):
        if self.run is not None:
            event.suite = self.run.select(event.suite, first=True)

    def startTestRun(self, event):
        if self.run is not None:
            event.suite = self.run.select(event.suite, first=False)

    def startTest(self, event):
        if self.run is not None:
            self.run.tracer.start_test(self.run.module_of(event.test))

    def stopTest(self, event):
        if self.run is not None:
            self.run.tracer.stop_test()

    def testOutcome(self, event):
        if self.run is not None:
            self.run.note_outcome(
                event.test, event.outcome, event.expected, event.exc_info is not None)

    def beforeSummaryReport(self, event):
        if self.run is not None and self.run.not_run:
            event.stream = NotRunStream(event.stream, self.run.ran, self.run.not_run)

    def recordWorkerDependencies(self, event):  # the parallel plugin's hook
        if self.run is not None:
            for taken in event.dependencies:
                self.run.add_worker(taken)

    def stopTestRun(self, event):
        if self.run is not None:
            self.run.stop()

    def afterTestRun(self, event):
        # After every stopTestRun: the parallel plugin's hands the workers' record on.
        if self.run is not None:
            for line in self.run.finish():
                sys.stderr.write(line + "\n")


class NotRunStream:
    """nose2's closing line with the tests ``--affected`` did not run:
    ``OK (37 run; 2,692 unaffected and not run)``."""

    def __init__(self, stream, ran, not_run):
        self.stream, self.after_verdict = stream, False
        self.words = f"{ran:,} run; {not_run:,} unaffected and not run"

    def write(self, text):
        self.after_verdict = text in ("OK", "FAILED")
        return self.stream.write(text)

    def writeln(self, text=""):
        if self.after_verdict:
            self.after_verdict = False
            text = f" ({self.words}; {text[2:]}" if text.startswith(" (") else f" ({self.words})"
        return self.stream.writeln(text)

    def __getattr__(self, name):
        return getattr(self.stream, name)

