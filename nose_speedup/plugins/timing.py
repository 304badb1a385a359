"""Record where a run's time goes, say what the speed-ups saved, report on request.

Load it (``manage.py test`` with ``Nose2TestRunner`` loads it) and every run:

* records each test's seconds, each class's set-up and tear-down
  (``setUpClass`` with ``setUpTestData`` and fixtures it loads itself), each
  bundle's fixture load (seconds, rows, classes served) and each database
  phase (create, migrate, snapshot, clone, reuse check, restore), and merges
  them into the durations file (``nose_speedup.timing.store``: merged across
  runs and CI shards, safe when two runs end at once). The parallel plugin
  and ``--shard`` read it;
* ends with one line saying what the speed-ups saved, from measured costs
  only (a load's seconds times the loads avoided; the last recorded build
  for a reused test database)::

    nose-speedup: 60 classes in 6 bundles; fixtures loaded 6 times instead of 60 (~31 s saved); test database reused (~48 s saved)

  With this plugin loaded the bundling plugin leaves its counts to this line.

``--speedup-report`` (``manage.py test --speedup-report``; ``manage.py test
--timing`` prints it under Django's own ``--timing`` report) prints where
the time went: database phases, each bundle's fixture load, the slowest
class set-ups, the slowest tests, and the advisor: the plain
``django.test.TestCase`` classes that would bundle as ``FastFixtureTestCase``,
with the loads and seconds it would save and the base class to change.

``--speedup-report-html PATH`` (``manage.py test`` too) writes a
self-contained HTML page (``nose_speedup.timing.html_report``): the run's
timeline, one lane per process, from moments recorded as it ran
(``nose_speedup.timeline``: database phases, checks, fixture loads, classes; each
``--django-parallel`` worker's start-up, wait, units and idle end), then
the slowest classes. The run's last line names the file.

Hooks: ``startTestRun`` (wraps ``executeTests`` to time the run),
``startTest``/``stopTest``, ``stopTestRun`` (ends the timeline's last
class), ``recordDurations`` (a custom hook the parallel plugin fires with
``event.durations = {"tests": ..., "classes": ...}`` measured in its
workers, which replace the main process's replayed figures),
``recordWorkerBundles`` (the parallel plugin's too, with
``event.bundles``: what each fixture bundle did in the process that ran
it, ``nose_speedup.bundling.bundle.BundleFigures``), ``afterSummaryReport``
(the lines, then the merge).

.. code-block:: ini

    [timing]
    # where durations are kept; .nose-speedup/durations.json under the
    # current directory when empty
    durations-file =
    # merge this run's figures into the durations file
    record = True
    # print the report on every run (as --speedup-report)
    report = False
    # entries per list in the report (and the HTML report's slowest classes)
    report-count = 10
    # write the HTML report of the run there (as --speedup-report-html)
    report-html =

Under ``--django-parallel`` tests, classes and fixture loads come from the
processes that ran them (the workers, and the main process for tests that
cannot be pickled): the "saved" line counts the classes, bundles and loads
of all of them, as a serial run of the same tests would, with the seconds
of the loads as each process timed them; the parallel plugin then leaves the
bundling counts to this line, as the bundling plugin does. nose2's
``--collect-only`` records nothing. ``mp`` is refused by the django plugin.
"""

from nose2.events import Plugin

from nose_speedup import config, hooks, options
from nose_speedup.compat.nose2_compat import OncePerSession, registered_plugins_from

SOURCE = "timing plugin"
PREFIX = "nose-speedup:"
COLLECT_PLUGIN_MODULE = "nose2.plugins.collect"


class TimingPlugin(Plugin, metaclass=OncePerSession):
    configSection = "timing"
    alwaysOn = True

    def __init__(self):
        from nose_speedup.parallel import outcomes
        from nose_speedup import timeline
        from nose_speedup.timing import clock, location, recorder, store

        self.config = config.StrictSection(self.session, self.configSection, SOURCE)
        values = options.read("timing", self.config)
        self.path = location.durations_path(self.session)
        self.record, self.report, self.count = values["record"], values["report"], values["count"]
        self.html_path = values["html_path"].strip()
        self.recorder = recorder.Recorder()  # lent through findRecorder
        self.clock = clock.TestClock()
        timeline.start()
        self.class_spans = timeline.ClassSpans(store.class_name, skip=outcomes.ran_in_worker)
        options.add_flags(self, self._set_option)
        hooks.declare(self)  # recordDurations, recordWorkerBundles: the parallel plugin's

    def handleArgs(self, event):
        hooks.put_in_order(self.session)  # nose_speedup.hooks: the order of a run

    def _set_option(self, option, value):
        setattr(self, option.name, value)  # --speedup-report, --speedup-report-html

    def findRecorder(self, event):
        event.recorder = self.recorder
        event.handled = True

    def startTestRun(self, event):
        inner = event.executeTests

        def timed(suite, result):
            from nose_speedup import timeline

            self.clock.start_run()
            try:
                with timeline.span(timeline.RUN, "tests"):
                    self.class_spans.start_run()
                    try:
                        inner(suite, result)
                    finally:
                        self.class_spans.stop_run()
            finally:
                self.clock.stop_run()

        event.executeTests = timed

    def startTest(self, event):
        self.clock.start_test(event.test)
        self.class_spans.start_test(event.test)

    def stopTest(self, event):
        self.clock.stop_test(event.test)
        self.class_spans.stop_test(event.test)

    def stopTestRun(self, event):
        self.class_spans.finish()

    def recordDurations(self, event):
        self.clock.replace(getattr(event, "durations", None) or {})

    def recordWorkerBundles(self, event):
        from nose_speedup.bundling.plan import CountedRun

        self.recorder.bundled_runs.append(CountedRun(getattr(event, "bundles", None) or []))

    def afterSummaryReport(self, event):
        from nose_speedup.timing import report, store

        if registered_plugins_from(self.session, COLLECT_PLUGIN_MODULE):
            return
        previous = store.read(self.path)
        line = report.saved_line(self.recorder, previous["databases"])
        if line:
            event.stream.writeln(line)
        if self.report:
            for text in report.report_lines(self.recorder, self.clock, self.count, self.path):
                event.stream.writeln(text)
        if self.html_path:
            self._write_html(event.stream)
        if self.record and (self.clock.tests or self.recorder.databases):
            measured = {
                "tests": self.clock.tests,
                "classes": self.clock.classes,
                "bundles": self.recorder.served(),
                "databases": self.recorder.databases,
            }
            try:
                store.merge(self.path, measured)
            except OSError as error:
                event.stream.writeln(
                    f"{SOURCE}: could not write the durations file {self.path}: {error}; "
                    "set [timing] durations-file to a writable path"
                )

    def _write_html(self, stream):
        from nose_speedup import timeline
        from nose_speedup.timing import html_report

        try:
            path = html_report.write(self.html_path, timeline.spans, self.clock, self.count)
        except OSError as error:
            stream.writeln(
                f"{SOURCE}: could not write the HTML report {self.html_path}: {error}; "
                "give --speedup-report-html (or [timing] report-html) a writable path"
            )
        else:
            stream.writeln(f"{PREFIX} HTML report of the run written to {path}")
