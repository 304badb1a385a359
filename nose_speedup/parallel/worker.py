"""What a worker process does: set Django up, switch to its own copies of
the test databases, then run the units the main process sends until told to
stop.

It is started with the ``spawn`` method on every platform, so it sets Django
up itself as Django's parallel runner does in ``_init_worker`` (macOS spawns
and Python 3.14 uses forkserver; a forked worker would inherit the main
process's open connections). It ignores Ctrl-C: the main process stops it.
When the main process goes away, the worker's pipe closes and it exits.
"""

import pickle
import signal
import sys
import traceback
import unittest
from dataclasses import dataclass

# In-memory SQLite databases stay alive while a connection to them is open.
_memory_databases = []


@dataclass
class WorkerSetup:
    slot: int
    databases: dict  # alias -> (settings dict, SQLite file to load into memory or None)
    serialized: dict  # alias -> serialized contents for serialized_rollback
    bundling: bool
    capture: bool  # capture each test's output, for nose2's --output-buffer


def set_up_django(setup):
    import django
    from django.db import connections
    from django.test.utils import setup_test_environment

    from nose_speedup.parallel import unittest_compat

    django.setup()
    setup_test_environment(debug=False)
    for alias, (settings_dict, memory_file) in setup.databases.items():
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
    for alias, contents in setup.serialized.items():
        unittest_compat.set_serialized_contents(connections[alias], contents)


def run_unit(tests, result, bundling):
    """Run one unit's tests as a whole suite; return its bundles' counts:
    [(classes that entered the bundle, fixture loads)]."""
    if not bundling:
        unittest.TestSuite(tests)(result)
        return []
    from nose_speedup.bundling.run import BundledRun

    run = BundledRun(tests)
    try:
        run.suite(result)
    finally:
        run.finish()
    return [(bundle.classes_entered, bundle.loads) for bundle in run.bundles]


def work(conn, stop_event, setup):
    """The worker's main loop: ``("ready",)``, then per unit the outcomes and
    ``("done", index, counts)``; ``None`` from the main process ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        set_up_django(setup)
    except BaseException:
        conn.send(("broken", traceback.format_exc()))
        return
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            break
        if message is None:
            break
        index, payload = message
        try:
            from nose_speedup.parallel.outcomes import StreamingResult

            tests = pickle.loads(payload)
            result = StreamingResult(conn.send, tests, stop_event, setup.capture)
            counts = run_unit(tests, result, setup.bundling)
        except BaseException:
            conn.send(("failed", index, traceback.format_exc()))
            continue
        conn.send(("done", index, counts))
    tear_down_django()


def tear_down_django():
    from django.db import connections
    from django.test.utils import teardown_test_environment

    connections.close_all()
    teardown_test_environment()
    sys.stdout.flush()
