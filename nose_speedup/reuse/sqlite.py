"""SQLite: Django's default test database lives in memory and cannot outlive
the run, so a reused one is a file: ``TEST["NAME"]`` when it names a file,
else ``test_<file name>`` beside the real database file (``db.sqlite3`` ->
``test_db.sqlite3``), else ``.nose-speedup/test_<alias>.sqlite3`` under the
working directory. The pristine copy is a second file beside it
(``test_db_pristine.sqlite3``), made and restored with SQLite's backup API.
Rolled-back inserts do not advance SQLite's counters: nothing to reset."""

import hashlib
import os
import sqlite3

from nose_speedup.reuse import compat
from nose_speedup.reuse.snapshots import RestoreImpossible

DEFAULT_DIRECTORY = ".nose-speedup"


def _in_memory(name):
    name = str(name or "")
    return name in ("", ":memory:") or "mode=memory" in name


def use_file(connection):
    """Give ``connection`` a file test database unless settings name one."""
    test_settings = connection.settings_dict["TEST"]
    if not _in_memory(test_settings.get("NAME")):
        return
    real_name = connection.settings_dict.get("NAME")
    if _in_memory(real_name):
        os.makedirs(DEFAULT_DIRECTORY, exist_ok=True)
        path = os.path.join(DEFAULT_DIRECTORY, f"test_{connection.alias}.sqlite3")
    else:
        directory, base = os.path.split(os.fspath(real_name))
        path = os.path.join(directory, f"test_{base}")
    test_settings["NAME"] = os.path.abspath(path)


def _pristine(connection):
    root, extension = os.path.splitext(connection.settings_dict["NAME"])
    return f"{root}_pristine{extension}"


def exists(connection):
    path = connection.settings_dict["NAME"]
    return os.path.exists(path)


def _backup(source, target):
    with sqlite3.connect(source) as source_db, sqlite3.connect(target) as target_db:
        source_db.backup(target_db)
    source_db.close()
    target_db.close()


def snapshot(connection):
    compat.close_connections(connection)
    _backup(connection.settings_dict["NAME"], _pristine(connection))


def restore(connection, _marker):
    pristine = _pristine(connection)
    if not os.path.exists(pristine):
        raise RestoreImpossible(f"its pristine copy {pristine} is missing")
    compat.close_connections(connection)
    _backup(pristine, connection.settings_dict["NAME"])


def drop(connection):
    compat.close_connections(connection)
    for path in (connection.settings_dict["NAME"], _pristine(connection)):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def signature(connection, tables):
    found = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            found[table] = f"{len(rows)}:{hashlib.sha256(chr(10).join(rows).encode()).hexdigest()}"
    return found


def counters(_connection):
    return {}


def reset_counters(_connection, _saved):
    pass
