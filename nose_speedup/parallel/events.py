"""The events of the hooks the parallel plugin fires at the end of a parallel
run, so that other plugins get what happened in the worker processes: the
timing plugin their tests' seconds and what their fixture bundles did, the
fast-flush plugin what their flushes did, the affected plugin what their
tests used. A plugin that implements the hook
receives the event; nothing else needs to import this module."""

from nose2.events import Event


class RecordDurationsEvent(Event):
    """``recordDurations``: the seconds the workers measured, for the
    durations file: ``durations = {"tests": {test id: seconds}, "classes":
    {"module.QualName": seconds}}``."""

    _attrs = Event._attrs + ("durations",)

    def __init__(self, durations, **kw):
        self.durations = durations
        super().__init__(**kw)


class WorkerFlushesEvent(Event):
    """``recordWorkerFlushes``: ``figures``, what the workers' fast flushes
    did (``nose_speedup.fast_flush.command.Figures``, one per unit)."""

    _attrs = Event._attrs + ("figures",)

    def __init__(self, figures, **kw):
        self.figures = figures
        super().__init__(**kw)


class WorkerBundlesEvent(Event):
    """``recordWorkerBundles``: ``bundles``, what every fixture bundle of the
    run did, in the workers and in the main process (tests that cannot be
    pickled run there): ``nose_speedup.bundling.bundle.BundleFigures``, one
    per bundle (classes entered, loads, load seconds, rows)."""

    _attrs = Event._attrs + ("bundles",)

    def __init__(self, bundles, **kw):
        self.bundles = bundles
        super().__init__(**kw)


class WorkerDependenciesEvent(Event):
    """``recordWorkerDependencies``: ``dependencies``, what the workers'
    tests used when the affected plugin records, one ``(why nothing could be
    recorded or None, {scope: (code, reads)})`` per message
    (``nose_speedup.affected.worker``)."""

    _attrs = Event._attrs + ("dependencies",)

    def __init__(self, dependencies, **kw):
        self.dependencies = dependencies
        super().__init__(**kw)
