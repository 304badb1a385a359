"""SQLite: Django's default test database lives in memory and cannot outlive
the run, so a reused one is a file: ``TEST["NAME"]`` when it names a file,
else ``test_<file name>`` beside the real database file (``db.sqlite3`` ->
``test_db.sqlite3``), else ``.nose-speedup/test_<alias>.sqlite3`` under the
working directory. The pristine copy is a second file beside it
(``test_db_pristine.sqlite3``), made with SQLite's backup API. Changed
tables are restored from it attached read-only, in one transaction with
foreign keys off, after dropping the tables' triggers (SQLite cannot switch
them off), which are re-created from their own SQL: ``DELETE`` and ``INSERT
... SELECT``, then ``sqlite_sequence``. A changed structure is restored by
copying the whole file back with the backup API (no trigger fires).
Rolled-back inserts do not advance SQLite's counters; committed ones are
reset at the end of a clean run too."""

import hashlib
import os
import sqlite3
import urllib.parse

from django.db import DatabaseError, transaction

from nose_speedup.compat import django_testdb
from nose_speedup.vendors import marker
from nose_speedup.vendors.reuse_base import Backend

DEFAULT_DIRECTORY = ".nose-speedup"
# The application_id (a number in the file's header) of a copy made for a
# parallel worker: "nsp1".
CLONE_APPLICATION_ID = 0x6E737031
PRISTINE = "nose_speedup_pristine"


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


# sqlite3_backup_step() statuses: the other file is locked. Python's
# backup() retries them without end; its progress callback sees each one.
BUSY_STATUSES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


def _backup(source, target, on_busy=None):
    def progress(status, remaining, total):
        if status in BUSY_STATUSES and on_busy is not None:
            on_busy()  # raises to stop waiting

    with sqlite3.connect(source) as source_db, sqlite3.connect(target) as target_db:
        source_db.backup(target_db, progress=progress)
    source_db.close()
    target_db.close()


class SQLiteBackend(Backend):
    vendor = "sqlite"
    EMPTY = f"0:{hashlib.sha256(b'').hexdigest()}"

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
        django_testdb.close_connection_and_pool(self.connection)
        _backup(self.name, self.pristine_name, self.on_busy)

    def restore_from_pristine(self, saved):
        django_testdb.close_connection_and_pool(self.connection)
        _backup(self.pristine_name, self.name, self.on_busy)

    def restore_tables(self, tables, saved):
        connection = self.connection
        uri = f"file:{urllib.parse.quote(os.path.abspath(self.pristine_name))}?mode=ro"
        with connection.cursor() as cursor:
            # Outside a transaction, or SQLite ignores it.
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute(f"ATTACH DATABASE %s AS {PRISTINE}", [uri])
            try:
                with transaction.atomic(using=connection.alias):
                    # The write lock first: waiting for it while holding the
                    # read lock of a SELECT would deadlock with another
                    # writer's commit (reuse.blocking retries this one).
                    cursor.execute(f"DELETE FROM {self.quote(marker.TABLE)} WHERE 0")
                    marks = ", ".join(["%s"] * len(tables))
                    cursor.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                        f"AND tbl_name IN ({marks})", list(tables),
                    )
                    triggers = cursor.fetchall()
                    for name, _sql in triggers:
                        cursor.execute(f"DROP TRIGGER {self.quote(name)}")
                    for table in tables:
                        self._copy_back(cursor, table)
                    for _name, sql in triggers:
                        cursor.execute(sql)
            finally:
                cursor.execute(f"DETACH DATABASE {PRISTINE}")
                cursor.execute("PRAGMA foreign_keys = ON")

    def _copy_back(self, cursor, table):
        quoted = self.quote(table)
        # table_info leaves out generated columns, which cannot be inserted.
        cursor.execute("SELECT name FROM pragma_table_info(%s)", [table])
        names = ", ".join(self.quote(name) for (name,) in cursor.fetchall())
        cursor.execute(f"DELETE FROM main.{quoted}")
        cursor.execute(
            f"INSERT INTO main.{quoted} ({names}) SELECT {names} FROM {PRISTINE}.{quoted}"
        )

    # Copies for parallel workers are files marked by their application_id.

    def clone_owned(self, name, mark):
        if not os.path.exists(name):
            return None
        try:
            with sqlite3.connect(f"file:{urllib.parse.quote(name)}?mode=ro", uri=True) as file:
                (found,) = file.execute("PRAGMA application_id").fetchone()
            file.close()
        except sqlite3.DatabaseError:
            return False
        return found == CLONE_APPLICATION_ID

    def mark_clone(self, name, mark):
        with sqlite3.connect(name) as file:
            file.execute(f"PRAGMA application_id = {CLONE_APPLICATION_ID}")
        file.close()

    def is_lock_wait(self, error):
        """The busy timeout (OPTIONS ``timeout``, 5 s by default) ended."""
        return "database is locked" in str(error) or "database table is locked" in str(error)

    def tables_with_rows(self, tables):
        found = set()
        with self.connection.cursor() as cursor:
            for start in range(0, len(tables), 400):  # SQLite's compound SELECT limit
                chunk = tables[start:start + 400]
                parts = [f"SELECT %s WHERE EXISTS (SELECT 1 FROM {self.quote(t)})" for t in chunk]
                cursor.execute(" UNION ALL ".join(parts), chunk)
                found.update(table for (table,) in cursor.fetchall())
        return found

    def drop(self):
        django_testdb.close_connection_and_pool(self.connection)
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
        # One transaction: in autocommit each statement would be a commit,
        # and each commit of a file database waits for the disk.
        atomic = transaction.atomic(using=self.connection.alias)
        with atomic, self.connection.cursor() as cursor:
            for name in current.keys() - saved.keys():
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [name])
            for name, value in saved.items():
                if name not in current:  # its row was deleted: no UPDATE reaches it
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                        [name, int(value)],
                    )
                elif current[name] != value:
                    cursor.execute(
                        "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [int(value), name]
                    )
