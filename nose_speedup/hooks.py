"""One run, in order: every hook the project's plugins act on, in the order
they act, and every hook and event the project adds to nose2's.

nose2 calls a hook's plugins in the order they were registered, which
depends on module names and on whether a switch or ``always-on`` turned a
plugin on. The project states the order instead, once, in ``ORDER`` below;
``put_in_order`` applies it (through ``nose_speedup.compat.nose2_compat``)
from every plugin's ``handleArgs``, when every plugin is registered, and no
plugin reorders a hook itself. ``OTHERS`` stands for the plugins that are
not the project's (nose2's own, third parties'); where a hook's entry does
not name it they act first. ``tests/test_hooks.py`` prints the table and
fails when a plugin acts out of it or implements a hook the table omits.

A run, read from top to bottom:

1. **set-up**: ``handleArgs`` in load order (nose2 calls it before the order
   can be applied): values checked, ``mp`` refused, this order applied;
2. **collection**: the django plugin loads test modules as Django's runner
   does, before nose2's loaders; its ``createTests`` sets Django up last, so
   that coverage (another plugin's ``createTests``) sees settings imported;
3. **selection** (``-k``, ``--tag``), then **sharding** (``--shard``) of the
   selected tests, then the **parallel hand-out** (workers started for the
   part's modules), then the **databases** of the tests that are left
   (``createdTestSuite``); the reuse-db plugin takes over their set-up
   through ``prepareTestDatabases``/``setUpTestDatabases``;
4. **bundles and tests**: ``startTestRun`` orders the suite (django), cuts
   it to the shard, and wraps ``executeTests``: bundling inside, parallel
   outermost; then each test's hooks;
   (``findRecorder``: the timing plugin lends its recorder to the plugins
   that time database phases and fixture loads);
5. **tear-down**: ``stopTestRun`` (databases through
   ``tearDownTestDatabases``), then the parallel plugin hands on what its
   workers measured (``recordDurations``, ``recordWorkerBundles``,
   ``recordWorkerFlushes``);
6. **report**: ``beforeSummaryReport``, ``afterSummaryReport``.
"""

from nose_speedup.compat import nose2_compat

OTHERS = "*"  # every plugin that is not one of nose_speedup.plugins
PLUGIN_PACKAGE = "nose_speedup.plugins."

# The hooks the project adds. Fired by the django plugin: another plugin
# takes over a step of the test databases' set-up (the reuse-db plugin does).
# prepareTestDatabases: before the guards check names and servers; a plugin
#   that sets the databases up itself changes their settings here.
# setUpTestDatabases: sets them up, stores what tear-down needs in
#   event.old_config and sets event.handled; else Django's setup_databases.
# tearDownTestDatabases: with that old_config; sets event.handled.
PREPARE_TEST_DATABASES = "prepareTestDatabases"
SET_UP_TEST_DATABASES = "setUpTestDatabases"
TEAR_DOWN_TEST_DATABASES = "tearDownTestDatabases"
# Fired by the parallel plugin at the end of a parallel run, with what the
# worker processes did: their tests' seconds (the timing plugin), their
# fixture bundles (the timing plugin), their fast flushes (fast-flush).
RECORD_DURATIONS = "recordDurations"
RECORD_WORKER_BUNDLES = "recordWorkerBundles"
RECORD_WORKER_FLUSHES = "recordWorkerFlushes"
# Fired by the plugins that drive slow machinery (django, reuse-db,
# parallel, bundling) to get the run's recorder, which the timing plugin
# owns (nose_speedup.timing.recorder): the figures travel explicitly, not
# through a module global.
FIND_RECORDER = "findRecorder"
# Fired by the parallel plugin when the affected plugin records: what the
# workers' tests used (nose_speedup.affected.worker).
RECORD_WORKER_DEPENDENCIES = "recordWorkerDependencies"
# The attribute a test carries when its outcomes are replayed from a worker
# process (the worker's slot, set by the parallel plugin): plugins watching
# what tests do to the main process's databases (reuse-db) leave it out.
WORKER_SLOT = "parallel_worker_slot"
CUSTOM_HOOKS = (
    PREPARE_TEST_DATABASES, SET_UP_TEST_DATABASES, TEAR_DOWN_TEST_DATABASES,
    RECORD_DURATIONS, RECORD_WORKER_BUNDLES, RECORD_WORKER_FLUSHES, FIND_RECORDER,
    RECORD_WORKER_DEPENDENCIES,
)
LOADING = ("django", OTHERS)  # Django's collection before nose2's loaders

# hook: the project's plugins in the order they act (modules under
# nose_speedup.plugins), in the order of a run.
ORDER = {
    # collection
    "handleDir": LOADING,
    "loadTestsFromName": LOADING,
    "matchDirPath": LOADING,
    "loadTestsFromModule": LOADING,
    "moduleLoadedSuite": LOADING,
    "loadTestsFromTestCase": LOADING,
    "createTests": ("selection", OTHERS, "django"),
    # selection, sharding, parallel hand-out, databases
    # (--affected after the cut: the cut of a round stays frozen while each
    # part's run changes the record the selection reads)
    "createdTestSuite": ("selection", "shards", "affected", "parallel", OTHERS, "django"),
    PREPARE_TEST_DATABASES: ("reuse_db",),
    SET_UP_TEST_DATABASES: ("reuse_db",),
    # bundles and tests: the suite's order, the shard's cut, then the
    # wrappers of executeTests, inner to outer (parallel outermost)
    "startTestRun": (
        "selection", OTHERS, "django", "shards", "affected", "durations", "speedups", "timing",
        "bundling", "fast_flush", "debug_sql", "parallel",
    ),
    "startTest": (OTHERS, "django", "durations", "reuse_db", "timing", "debug_sql", "affected"),
    "setTestOutcome": (OTHERS, "django", "debug_sql"),
    "reportError": (OTHERS, "django"),
    "reportSkip": (OTHERS, "django"),
    "outcomeDetail": (OTHERS, "debug_sql"),
    "testOutcome": (OTHERS, "affected"),
    "stopTest": (OTHERS, "durations", "timing", "debug_sql", "affected"),
    # tear-down, and what the workers did
    "stopTestRun": (
        OTHERS, "django", "parallel", "speedups", "fast_flush", "timing", "affected",
    ),
    # after every stopTestRun: the workers' records are in
    "afterTestRun": (OTHERS, "affected"),
    TEAR_DOWN_TEST_DATABASES: ("reuse_db",),
    RECORD_DURATIONS: ("timing",),
    RECORD_WORKER_BUNDLES: ("timing",),
    RECORD_WORKER_FLUSHES: ("fast_flush",),
    RECORD_WORKER_DEPENDENCIES: ("affected",),
    FIND_RECORDER: (OTHERS, "timing"),
    # report
    "beforeSummaryReport": (OTHERS, "durations", "affected"),
    "afterSummaryReport": (OTHERS, "parallel", "speedups", "timing", "bundling", "fast_flush"),
}
# Called by nose2 in load order, before the order can be applied.
UNORDERED = ("pluginsLoaded", "handleArgs")


class TestDatabasesEvent(nose2_compat.Event):
    """Preparation, set-up or tear-down of the test databases.

    ``verbosity``: the run's verbosity (nose2's ``-v``), as Django's.
    ``aliases``: dict of alias -> whether a selected test needs
    ``serialized_rollback`` on it (Django's ``get_databases()``).
    ``serialized_aliases``: the aliases to serialize.
    ``old_config``: what tear-down needs; set by whoever set up.
    """

    _attrs = nose2_compat.event_attributes(
        "verbosity", "aliases", "serialized_aliases", "old_config"
    )

    def __init__(self, verbosity, aliases, serialized_aliases, old_config=None, **kw):
        self.verbosity = verbosity
        self.aliases = aliases
        self.serialized_aliases = serialized_aliases
        self.old_config = old_config
        super().__init__(**kw)


class RecordDurationsEvent(nose2_compat.Event):
    """``recordDurations``: the seconds the workers measured, for the
    durations file: ``durations = {"tests": {test id: seconds}, "classes":
    {"module.QualName": seconds}}``."""

    _attrs = nose2_compat.event_attributes("durations")

    def __init__(self, durations, **kw):
        self.durations = durations
        super().__init__(**kw)


class WorkerDependenciesEvent(nose2_compat.Event):
    """``recordWorkerDependencies``: ``dependencies``, what the workers'
    tests used when the affected plugin records, one ``(why nothing could be
    recorded or None, {scope: (code, reads)})`` per message
    (``nose_speedup.affected.worker``)."""

    _attrs = nose2_compat.event_attributes("dependencies")

    def __init__(self, dependencies, **kw):
        self.dependencies = dependencies
        super().__init__(**kw)


class WorkerFlushesEvent(nose2_compat.Event):
    """``recordWorkerFlushes``: ``figures``, what the workers' fast flushes
    did (``nose_speedup.fast_flush.command.Figures``, one per unit)."""

    _attrs = nose2_compat.event_attributes("figures")

    def __init__(self, figures, **kw):
        self.figures = figures
        super().__init__(**kw)


class WorkerBundlesEvent(nose2_compat.Event):
    """``recordWorkerBundles``: ``bundles``, what every fixture bundle of the
    run did, in the workers and in the main process (tests that cannot be
    pickled run there): ``nose_speedup.bundling.bundle.BundleFigures``, one
    per bundle (classes entered, loads, load seconds, rows)."""

    _attrs = nose2_compat.event_attributes("bundles")

    def __init__(self, bundles, **kw):
        self.bundles = bundles
        super().__init__(**kw)


class RecorderEvent(nose2_compat.Event):
    """``findRecorder``: whoever records the run's figures sets
    ``recorder`` (a ``nose_speedup.timing.recorder.Recorder``)."""

    _attrs = nose2_compat.event_attributes("recorder")

    def __init__(self, **kw):
        self.recorder = None
        super().__init__(**kw)


def ran_in_worker(test):
    """Whether ``test``'s outcomes come from a worker process."""
    return getattr(test, WORKER_SLOT, None) is not None


def find_recorder(session):
    """The run's recorder (the timing plugin's), or None when no plugin
    records the run."""
    event = RecorderEvent()
    getattr(session.hooks, FIND_RECORDER)(event)
    return event.recorder


def plugin_name(plugin):
    """``"django"`` for a plugin of ``nose_speedup.plugins.django``; None
    for a plugin that is not the project's."""
    module = type(plugin).__module__
    return module[len(PLUGIN_PACKAGE):] if module.startswith(PLUGIN_PACKAGE) else None


def declare(plugin):
    """Make the project's hooks known to ``plugin``'s session (once)."""
    nose2_compat.add_hooks(plugin, CUSTOM_HOOKS)


def _position(order):
    others = order.index(OTHERS) if OTHERS in order else -1

    def position(plugin):
        name = plugin_name(plugin)
        if name is None:
            return others
        return order.index(name) if name in order else len(order)

    return position


def put_in_order(session):
    """Have every hook of ``ORDER`` call its plugins in the table's order
    (plugins that are not the project's keep their order among themselves)."""
    for hook_name, order in ORDER.items():
        nose2_compat.sort_hook(session, hook_name, _position(order))


def describe():
    """The table, one line per hook, as a reader would write it."""
    return [
        f"{hook_name}: {' -> '.join('(others)' if n == OTHERS else n for n in order)}"
        for hook_name, order in ORDER.items()
    ]
