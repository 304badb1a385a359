"""Count SQL queries and fixture loads of one test run.

``queries``           every statement executed on any connection (an
                      ``execute_wrapper`` attached on ``connection_created``;
                      ``executemany`` counts once).
``setup_queries``     the part run inside test-database creation/teardown
                      (``create_test_db``, ``destroy_test_db``) or ``migrate``.
``fixture_queries``   the part run inside ``loaddata``.
``test_queries``      ``queries - setup_queries`` (fixtures, tests, savepoints).
``fixture_loads``     calls of the ``loaddata`` command (one per class and
                      database with Django's TestCase).
``fixture_objects``   objects those calls saved.
``statements``        ``test_queries`` by first SQL word (``SELECT``,
                      ``SAVEPOINT``, ``SET`` for ``SET CONSTRAINTS`` ...).
``migrate_runs`` / ``test_db_creations`` / ``test_db_keeps``
                      ``migrate`` commands run; ``create_test_db`` calls that
                      built a database / that kept one (``keepdb``).
"""

import atexit
import collections
import functools
import json
import os

COUNTS = dict.fromkeys(
    ("queries", "setup_queries", "fixture_queries", "fixture_loads", "fixture_objects",
     "migrate_runs", "test_db_creations", "test_db_keeps"), 0
)
STATEMENTS = collections.Counter()
_phase = {"setup": 0, "fixtures": 0}


def count_query(execute, sql, params, many, context):
    COUNTS["queries"] += 1
    if _phase["setup"]:
        COUNTS["setup_queries"] += 1
        return execute(sql, params, many, context)
    if _phase["fixtures"]:
        COUNTS["fixture_queries"] += 1
    words = str(sql).split(None, 1)
    STATEMENTS[words[0].upper() if words else ""] += 1
    return execute(sql, params, many, context)


def attach(sender, connection, **kwargs):
    # Insert first: DatabaseWrapper.execute_wrapper() pops the last wrapper.
    if count_query not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, count_query)


def _in_phase(phase, method, before=None, after=None):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if before:
            before(args, kwargs)
        _phase[phase] += 1
        try:
            result = method(self, *args, **kwargs)
        finally:
            _phase[phase] -= 1
        if after:
            after(self)
        return result

    return wrapper


def _count_creation(args, kwargs):
    keepdb = kwargs.get("keepdb", args[3] if len(args) > 3 else False)
    COUNTS["test_db_keeps" if keepdb else "test_db_creations"] += 1


def _count_load(command):
    COUNTS["fixture_loads"] += 1
    COUNTS["fixture_objects"] += getattr(command, "loaded_object_count", 0)


def _count_migrate(args, kwargs):
    COUNTS["migrate_runs"] += 1


def write(path):
    totals = dict(COUNTS, test_queries=COUNTS["queries"] - COUNTS["setup_queries"])
    statements = STATEMENTS.copy()
    if os.path.exists(path):  # several processes of one run add up
        with open(path) as existing:
            for key, value in json.load(existing).items():
                if key == "statements":
                    statements.update(value)
                else:
                    totals[key] = totals.get(key, 0) + value
    totals["statements"] = dict(statements.most_common())
    with open(path, "w") as out:
        json.dump(totals, out)


def install(path):
    from django.core.management.commands import loaddata, migrate
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.db.backends.signals import connection_created

    connection_created.connect(attach, weak=False)
    creation = BaseDatabaseCreation
    creation.create_test_db = _in_phase("setup", creation.create_test_db, before=_count_creation)
    creation.destroy_test_db = _in_phase("setup", creation.destroy_test_db)
    migrate.Command.handle = _in_phase("setup", migrate.Command.handle, before=_count_migrate)
    loaddata.Command.handle = _in_phase("fixtures", loaddata.Command.handle, after=_count_load)
    atexit.register(write, path)
