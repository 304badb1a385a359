"""What a worker process does: set Django up and import the test modules
(while the main process is still building the test databases), switch to
its own copies of the test databases once they exist, then run the units the
main process sends until told to stop.

It is started with the ``spawn`` method on every platform, so it sets Django
up itself as Django's parallel runner does in ``_init_worker`` (macOS spawns
and Python 3.14 uses forkserver; a forked worker would inherit the main
process's open connections). It ignores Ctrl-C: the main process stops it.
When the main process goes away, the worker's pipe closes and it exits.

With ``WorkerStart.fast_flush`` (the main process's run has the fast-flush
plugin switched on) the worker puts ``nose_speedup.fast_flush.FastFlush`` in
the place of Django's flush as the plugin does in the main process, so its
``TransactionTestCase`` tests are flushed as they would be there.

Messages to the main process: ``("booted",)`` once Django is set up,
``("ready",)`` once it uses its database copies, then per unit the
outcomes (``outcomes.StreamingResult``) and ``("done", index, bundles,
seconds, flushes, spans)`` (or ``("failed", index, traceback, flushes,
spans)``), where ``bundles`` is what each bundle of the unit did
(``BundleFigures``: classes, loads, load seconds, rows), ``seconds`` what
the worker measured: each test's seconds by its index in the unit, and each
class's seconds outside its tests (set-up and tear-down) by class name;
``flushes`` is what the fast flush did during the unit
(``fast_flush.command.Figures``), or ``None`` without it, and ``spans`` when
its classes and fixture loads happened (``nose_speedup.timeline``),
for the HTML report. A module stays set up across consecutive units that
use it (``parallel.modules``); when told to stop, the worker tears its
modules down (their errors sent as outcomes outside any test) before it
exits. With ``WorkerStart.affected`` it records what its tests use and sends
``("dependencies", ...)`` before each unit's ``done`` and at its end
(``nose_speedup.affected.worker``).
"""

import importlib
import pickle
import signal
import sys
import traceback
from dataclasses import dataclass

from nose_speedup import timeline

# In-memory SQLite databases stay alive while a connection to them is open.
_memory_databases = []


@dataclass
class WorkerStart:
    """What a worker gets when it starts, before any database copy exists."""

    slot: int
    bundling: object  # False, or the bundling mode (bundling.rule.FAST or ALL)
    capture: bool  # capture each test's output, for nose2's --output-buffer
    modules: tuple  # test modules to import while the main process builds the databases
    fast_flush: bool = False  # the fast-flush plugin is on in the main process
    collect_at_exit: bool = True  # [django] collect-at-exit (core.garbage_collection)
    affected: str = None  # the project root when the run records (affected.worker)


@dataclass
class WorkerDatabases:
    """What a worker gets once its database copies exist."""

    databases: dict  # alias -> (settings dict, SQLite file to load into memory or None)
    serialized: dict  # alias -> serialized contents for serialized_rollback


def boot(start):
    """Set Django up and import the test modules; return the installed
    ``FastFlush`` when the main process's run uses it, else ``None``."""
    import django
    from django.test.utils import setup_test_environment

    from nose_speedup.core import garbage_collection

    thresholds = garbage_collection.defer_during_set_up()
    django.setup()
    setup_test_environment(debug=False)
    for module in start.modules:
        try:
            importlib.import_module(module)
        except BaseException:  # reported by the main process, which imported it too
            pass
    garbage_collection.restore(thresholds)
    if not start.fast_flush:
        return None
    from nose_speedup.fast_flush import FastFlush

    flush = FastFlush()
    flush.install()
    return flush


def use_databases(databases):
    from django.db import connections

    from nose_speedup.compat import django_testdb

    for alias, (settings_dict, memory_file) in databases.databases.items():
        connection = connections[alias]
        connection.close()
        connection.settings_dict.update(settings_dict)
        if memory_file is not None:
            import sqlite3

            source = sqlite3.connect(memory_file)
            target = sqlite3.connect(settings_dict["NAME"], uri=True)
            source.backup(target)
            source.close()
            _memory_databases.append(target)
    for alias, contents in databases.serialized.items():
        django_testdb.set_serialized_contents(connections[alias], contents)


def run_unit(tests, result, bundling, modules):
    """Run one unit's tests, keeping its modules set up in ``modules`` (a
    ``parallel.modules.KeptModules``: ``setUpModule`` once per module while
    consecutive units use it); return what its bundles did
    (``nose_speedup.bundling.bundle.BundleFigures``, one per bundle)."""
    from nose_speedup.parallel.modules import run_units

    if not bundling:
        run_units([list(tests)], result, modules)
        return []
    from nose_speedup.bundling.plan import BundledRun
    from nose_speedup.parallel.units import bundling_mode

    run = BundledRun(tests, bundling_mode(bundling))
    try:
        run_units(run.units, result, modules)
    finally:
        run.finish()
    return [bundle.figures() for bundle in run.bundles]


def leave_modules(conn, stop_event, start, current, modules):
    """The worker has run its last unit: tear down the modules it keeps,
    their errors sent as outcomes outside any test."""
    from nose_speedup.parallel.outcomes import StreamingResult

    modules.leave_all(StreamingResult(conn.send, [], stop_event, start.capture, current))


def work(conn, stop_event, start, current):
    """The worker's main loop (the module docstring lists its messages);
    ``None`` from the main process ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    flush = recorder = None
    if start.affected:
        from nose_speedup.affected.worker import WorkerRecorder

        recorder = WorkerRecorder(start.affected)
        recorder.start()
    try:
        flush = boot(start)
        conn.send(("booted",))
        databases = conn.recv()
        if databases is None:
            return
        use_databases(databases)
    except (EOFError, OSError):
        return
    except BaseException:
        conn.send(("broken", traceback.format_exc()))
        return
    conn.send(("ready",))
    if recorder is not None:
        recorder.begin_tests()
    from nose_speedup.parallel.modules import KeptModules

    modules = KeptModules()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            break
        if message is None:
            try:
                leave_modules(conn, stop_event, start, current, modules)
                if recorder is not None:
                    conn.send(recorder.finish())
            except (EOFError, OSError):
                pass
            break
        index, payload = message
        try:
            from nose_speedup.parallel.outcomes import StreamingResult

            tests = pickle.loads(payload)
            result = StreamingResult(conn.send, tests, stop_event, start.capture, current)
            if recorder is not None:
                recorder.watch(result)
            bundles = run_unit(tests, result, start.bundling, modules)
            seconds = result.seconds()
        except BaseException:
            if recorder is not None:
                conn.send(recorder.take())
            conn.send(
                ("failed", index, traceback.format_exc(), flush_figures(flush), timeline.take())
            )
            continue
        if recorder is not None:
            conn.send(recorder.take())
        conn.send(("done", index, bundles, seconds, flush_figures(flush), timeline.take()))
    tear_down_django(flush)
    if not start.collect_at_exit:  # the main process waits for this exit
        from nose_speedup.core import garbage_collection

        garbage_collection.skip_the_last_collection()


def flush_figures(flush):
    """What the fast flush did since the last unit (``None`` without it)."""
    return None if flush is None else flush.take_figures()


def tear_down_django(flush):
    from django.db import connections
    from django.test.utils import teardown_test_environment

    if flush is not None:
        flush.uninstall()
    connections.close_all()
    teardown_test_environment()
    sys.stdout.flush()
