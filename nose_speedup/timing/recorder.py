"""What this run measured: the recorder the machinery reports to.

The code that does the slow work says how long it took, in one call, and
the timing plugin (``nose_speedup.plugins.timing``) reads the figures at the
end of the run, prints them on request and merges them into the durations
file (``nose_speedup.timing.store``). The timing plugin owns the run's
``Recorder``; the plugins that drive the machinery ask for it through the
``findRecorder`` hook (``nose_speedup.hooks.find_recorder``) and pass it
down, so no module keeps one: without the timing plugin the django plugin
records nothing, and the reuse-db and parallel machinery report to a
recorder of their own that nobody reads (a clock read and a dict update).

Callers:

* database phases, per alias (``phase``/``record_phase``): the reuse-db
  lifecycle (``CREATE``, ``MIGRATE``, ``SNAPSHOT``, ``BUILD`` = the three,
  ``REUSE_CHECK``, ``RESTORE``), the parallel plugin's clones (``CLONE``),
  and Django's own ``setup_databases`` through ``TimeKeeper`` (its
  ``Creating``/``Cloning`` timers) and the ``pre_migrate``/``post_migrate``
  signals, which split Django's create from its migrate;
* fixture loads: each ``FixtureBundle`` times its own loads and counts their
  rows (``load_seconds``, ``rows``); the bundling plugin hands its run over
  (``Recorder.note_bundled_run``) and ``served`` reads them at the end, so the
  bundling machinery never imports this module. Under ``--django-parallel``
  the bundles run in other processes: the timing plugin adds what they did
  (a ``CountedRun`` of the ``BundleFigures`` the parallel plugin hands it);
* the timing plugin itself: tests and class set-ups.

Each phase recorded here is also a span of the HTML report's timeline
(``nose_speedup.timeline``), as are Django's whole set-up and
tear-down of the test databases (``TIMELINE_TIMERS``).
"""

import contextlib
import re
import time

from nose_speedup import timeline

# Database phases: the names in the durations file's "databases" section.
CREATE = "create"
MIGRATE = "migrate"
SNAPSHOT = "snapshot"
BUILD = "build"  # a whole build: create + migrate (+ snapshot when kept)
CLONE = "clone"
REUSE_CHECK = "reuse-check"
RESTORE = "restore"
PHASES = (BUILD, CREATE, MIGRATE, SNAPSHOT, CLONE, REUSE_CHECK, RESTORE)

DJANGO_TIMERS = {  # Django's setup_databases timer names, 4.2 to 6.x
    re.compile(r"^\s*Creating '(?P<alias>.+)'$"): BUILD,
    re.compile(r"^\s*Cloning '(?P<alias>.+)'$"): CLONE,
}
# The timers of the whole set-up and tear-down (core.environment's), drawn
# on the HTML report's timeline.
TIMELINE_TIMERS = {
    "Total database setup": "test databases set up",
    "Total database teardown": "test databases torn down",
}


def now():
    return time.perf_counter()


class Recorder:
    """The figures of one run, in the sections of the durations file."""

    def __init__(self):
        self.tests = {}
        self.classes = {}
        self.databases = {}  # alias -> {phase: seconds}
        # nose_speedup.bundling.plan.BundledRun of this process, or CountedRun
        # of the parallel plugin's processes: each has bundles and counts_text
        self.bundled_runs = []

    def record_phase(self, alias, name, started):
        phases = self.databases.setdefault(alias, {})
        phases[name] = phases.get(name, 0.0) + (now() - started)
        timeline.add_measured(timeline.DATABASE, f"{name} ({alias})", started)

    @contextlib.contextmanager
    def phase(self, alias, name):
        started = now()
        try:
            yield
        finally:
            self.record_phase(alias, name, started)

    def note_bundled_run(self, run):
        self.bundled_runs.append(run)

    def time_keeper(self, inner):
        """Django's time keeper ``inner``, recording Django's database timers here."""
        return RecordingTimeKeeper(inner, self)

    def django_migrations(self):
        """A context in which Django's migrations are timed here."""
        return _django_migrations(self)

    def checks(self):
        """A context drawn as Django's system checks on the run's timeline."""
        return timeline.span(timeline.CHECKS, "system checks")

    def served(self):
        """``bundles`` with each one's classes counted and the bundle object
        dropped: what the durations file keeps (seconds per load)."""
        served = {}
        for run in self.bundled_runs:
            for bundle in run.bundles:
                if not bundle.loads:
                    continue
                entry = served.setdefault(
                    bundle.name, {"seconds": 0.0, "rows": 0, "loads": 0, "classes": 0}
                )
                entry["seconds"] += bundle.load_seconds
                entry["rows"] = bundle.rows
                entry["loads"] += bundle.loads
                entry["classes"] += bundle.classes_entered
        for entry in served.values():
            entry["seconds"] /= entry["loads"]
        return served


class RecordingTimeKeeper:
    """Django's ``TimeKeeper`` (or ``NullTimeKeeper``) for ``--timing``,
    recording the database timers Django runs into ``recorder`` too."""

    def __init__(self, inner, recorder):
        self.inner = inner
        self.recorder = recorder

    @contextlib.contextmanager
    def timed(self, name):
        started = now()
        try:
            with self.inner.timed(name):
                yield
        finally:
            if name in TIMELINE_TIMERS:
                timeline.add_measured(timeline.DATABASE, TIMELINE_TIMERS[name], started)
            for pattern, phase_name in DJANGO_TIMERS.items():
                match = pattern.match(name)
                if match:
                    self.recorder.record_phase(match["alias"], phase_name, started)

    def print_results(self):
        self.inner.print_results()


@contextlib.contextmanager
def _django_migrations(recorder):
    """Time Django's migrate inside its ``create_test_db``: from the first
    ``pre_migrate`` to the last ``post_migrate`` of each database."""
    from django.db.models.signals import post_migrate, pre_migrate

    spans = {}

    def before(using=None, **kwargs):
        spans.setdefault(using, [now(), None])

    def after(using=None, **kwargs):
        if using in spans:
            spans[using][1] = now()

    pre_migrate.connect(before, weak=False, dispatch_uid="nose-speedup-timing-pre")
    post_migrate.connect(after, weak=False, dispatch_uid="nose-speedup-timing-post")
    try:
        yield
    finally:
        pre_migrate.disconnect(dispatch_uid="nose-speedup-timing-pre")
        post_migrate.disconnect(dispatch_uid="nose-speedup-timing-post")
        for alias, (first, last) in spans.items():
            if last is not None:
                timeline.add_measured(timeline.DATABASE, f"{MIGRATE} ({alias})", first, last)
                phases = recorder.databases.setdefault(alias, {})
                phases[MIGRATE] = last - first
                if BUILD in phases:
                    phases[CREATE] = max(0.0, phases[BUILD] - phases[MIGRATE])
