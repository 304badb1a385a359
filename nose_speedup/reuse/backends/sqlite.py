"""SQLite: Django's default test database lives in memory and cannot outlive
the run, so a reused one is a file: ``TEST["NAME"]`` when it names a file,
else ``test_<file name>`` beside the real database file (``db.sqlite3`` ->
``test_db.sqlite3``), else ``.nose-speedup/test_<alias>.sqlite3`` under the
working directory. The pristine copy is a second file beside it
(``test_db_pristine.sqlite3``), made and restored with SQLite's backup API
(rows, structure and ``sqlite_sequence``; no trigger fires). Rolled-back
inserts do not advance SQLite's counters; committed ones are reset at the
end of a clean run."""

import hashlib
import os
import sqlite3

from django.db import DatabaseError

from nose_speedup.compat import django_compat
from nose_speedup.reuse import marker
from nose_speedup.reuse.backends.base import Backend

DEFAULT_DIRECTORY = ".nose-speedup"


def _in_memory(name):
    name = str(name or "")
    return name in ("", ":memory:") or "mode=memory" in name


def kept_file(connection):
    """The file a kept test database of ``connection`` lives in."""
    test_name = connection.settings_dict["TEST"].get("NAME")
    if not _in_memory(test_name):
        return os.path.abspath(os.fspath(test_name))
    real_name = connection.settings_dict.get("NAME")
    if _in_memory(real_name):
        return os.path.abspath(os.path.join(DEFAULT_DIRECTORY, f"test_{connection.alias}.sqlite3"))
    directory, base = os.path.split(os.fspath(real_name))
    return os.path.abspath(os.path.join(directory, f"test_{base}"))


def use_file(connection):
    """Give ``connection`` a file test database unless settings name one."""
    path = kept_file(connection)
    if os.path.dirname(path) == os.path.abspath(DEFAULT_DIRECTORY):
        os.makedirs(DEFAULT_DIRECTORY, exist_ok=True)
    connection.settings_dict["TEST"]["NAME"] = path


def _backup(source, target):
    with sqlite3.connect(source) as source_db, sqlite3.connect(target) as target_db:
        source_db.backup(target_db)
    source_db.close()
    target_db.close()


class SQLiteBackend(Backend):
    vendor = "sqlite"

    @property
    def pristine_name(self):
        root, extension = os.path.splitext(os.fspath(self.name))
        return f"{root}_pristine{extension}"

    def exists(self):
        return os.path.exists(self.name)

    def pristine_contents(self):
        if not os.path.exists(self.pristine_name):
            return None, []
        try:
            uri = f"file:{self.pristine_name}?mode=ro"
            with sqlite3.connect(uri, uri=True) as pristine:
                tables = [
                    name for (name,) in pristine.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                    )
                ]
                found = None
                if marker.TABLE in tables:
                    found = marker.Marker(pristine.execute(
                        f"SELECT entry, content FROM {self.quote(marker.TABLE)}"
                    ).fetchall())
            pristine.close()
        except sqlite3.DatabaseError:
            return None, ["(not an SQLite database)"]
        return found, [table for table in tables if table != marker.TABLE]

    def snapshot(self):
        django_compat.close_connection_and_pool(self.connection)
        _backup(self.name, self.pristine_name)

    def restore_from_pristine(self, saved):
        django_compat.close_connection_and_pool(self.connection)
        _backup(self.pristine_name, self.name)

    def drop(self):
        django_compat.close_connection_and_pool(self.connection)
        for path in (self.name, self.pristine_name):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass

    def signature(self, tables):
        found = {}
        with self.connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"SELECT * FROM {self.quote(table)}")
                rows = sorted(repr(row) for row in cursor.fetchall())
                digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
                found[table] = f"{len(rows)}:{digest}"
        return found

    def structure(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master "
                "WHERE tbl_name <> %s",
                [marker.TABLE],
            )
            lines = sorted(line for (line,) in cursor.fetchall())
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]

    def counters(self):
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT name, seq FROM sqlite_sequence")
                return {name: str(seq) for name, seq in cursor.fetchall()}
        except DatabaseError:  # no table has AUTOINCREMENT yet
            return {}

    def reset_counters(self, saved):
        current = self.counters()
        if current == saved:
            return
        with self.connection.cursor() as cursor:
            for name in current.keys() - saved.keys():
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [name])
            for name, value in saved.items():
                if current.get(name) != value:
                    cursor.execute(
                        "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [int(value), name]
                    )
