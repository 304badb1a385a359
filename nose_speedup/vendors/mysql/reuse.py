"""MySQL and MariaDB: the pristine copy is a database holding a copy of each
table and of the marker (``CREATE TABLE ... LIKE`` and ``INSERT ...
SELECT``). A warm start asks each table that is empty in the pristine
state whether it has a row (one query) and compares the ``CHECKSUM TABLE``
of the others with the one recorded at build time; a restore copies back
only the tables that differ, inside
the tables Django created (so foreign keys and indexes stay as migrations
made them). The triggers of those tables are dropped for the copy and
re-created after it, so no trigger fires. A changed structure cannot be
copied back exactly (``CREATE TABLE ... LIKE`` loses foreign keys): the
database is rebuilt. AUTO_INCREMENT counters, which a rollback does not
undo, are reset at the end of a clean run."""

import hashlib

from django.db import OperationalError

from nose_speedup.compat import django_testdb
from nose_speedup.vendors import marker
from nose_speedup.vendors.reuse_base import Backend, RestoreImpossible, changed_tables

UNKNOWN_DATABASE = 1049
LOCK_WAIT_TIMEOUT = 1205  # innodb_lock_wait_timeout ended a row lock wait
# Is the session waiting for a lock (table and metadata locks in its state,
# row locks in InnoDB), and which other sessions are on its database.
BLOCKED = """
SELECT (SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = %s) LIKE 'Waiting for%%lock%%'
    OR EXISTS (SELECT 1 FROM information_schema.INNODB_TRX
               WHERE trx_mysql_thread_id = %s AND trx_state = 'LOCK WAIT')
"""
OTHER_SESSIONS = """
SELECT ID, COMMAND, TIME FROM information_schema.PROCESSLIST
WHERE DB = %s AND ID NOT IN (%s, CONNECTION_ID()) ORDER BY ID
"""

# Columns, indexes, foreign keys and triggers, ours excepted, one line each.
STRUCTURE = """
SELECT CONCAT_WS(' ', TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE,
                 COALESCE(COLUMN_DEFAULT, 'no default'), EXTRA, COALESCE(GENERATION_EXPRESSION, ''))
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> %s
UNION ALL SELECT CONCAT_WS(' ', TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE)
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> %s
UNION ALL SELECT CONCAT_WS(' ', TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME,
                           REFERENCED_COLUMN_NAME)
FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE()
AND REFERENCED_TABLE_NAME IS NOT NULL
UNION ALL SELECT CONCAT_WS(' ', TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION,
                           EVENT_OBJECT_TABLE, ACTION_STATEMENT)
FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
"""


class MySQLBackend(Backend):
    vendor = "mysql"
    EMPTY = "0"  # CHECKSUM TABLE of a table without rows

    def exists(self):
        try:
            self.connection.ensure_connection()
            return True
        except OperationalError as error:
            if error.args and error.args[0] == UNKNOWN_DATABASE:
                return False
            raise

    def _columns(self, cursor, table):
        """Stored columns: generated ones cannot be inserted into."""
        cursor.execute(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
            "AND TABLE_NAME = %s AND COALESCE(GENERATION_EXPRESSION, '') = '' "
            "ORDER BY ORDINAL_POSITION",
            [table],
        )
        return ", ".join(self.quote(name) for (name,) in cursor.fetchall())

    def _copy_rows(self, cursor, source, target, table):
        columns = self._columns(cursor, table)
        quoted = self.quote(table)
        cursor.execute(
            f"INSERT INTO {target}.{quoted} ({columns}) SELECT {columns} FROM {source}.{quoted}"
        )

    def pristine_contents(self):
        # The test database itself may not exist yet.
        with django_testdb.nodb_cursor(self.connection) as cursor:
            cursor.execute(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s",
                [self.pristine_name],
            )
            tables = [name for (name,) in cursor.fetchall()]
            if marker.TABLE not in tables:
                return None, tables
            pristine = self.quote(self.pristine_name)
            cursor.execute(f"SELECT entry, content FROM {pristine}.{self.quote(marker.TABLE)}")
            found = marker.Marker(cursor.fetchall())
        return found, [table for table in tables if table != marker.TABLE]

    def snapshot(self):
        pristine, here = self.quote(self.pristine_name), self.quote(self.name)
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {pristine}")
            cursor.execute(f"CREATE DATABASE {pristine}")
            for table in [*self.tables(), marker.TABLE]:
                quoted = self.quote(table)
                cursor.execute(f"CREATE TABLE {pristine}.{quoted} LIKE {quoted}")
                self._copy_rows(cursor, here, pristine, table)

    def restore_from_pristine(self, saved):
        tables = saved.group(marker.TABLES)
        with self.connection.cursor() as cursor:
            cursor.execute("SET FOREIGN_KEY_CHECKS = 0")
            try:
                for table in set(self.tables()) - set(tables):  # created by a test
                    cursor.execute(f"DROP TABLE {self.quote(table)}")
            finally:
                cursor.execute("SET FOREIGN_KEY_CHECKS = 1")
        if self.structure() != saved.get(marker.STRUCTURE):
            raise RestoreImpossible(
                "a changed structure cannot be copied back exactly on MySQL/MariaDB "
                "(CREATE TABLE ... LIKE loses foreign keys)"
            )
        self.restore_tables(changed_tables(tables, self.signature(list(tables))), saved)
        self.reset_counters(saved.group(marker.COUNTERS))

    def restore_tables(self, tables, saved):
        pristine, here = self.quote(self.pristine_name), self.quote(self.name)
        with self.connection.cursor() as cursor:
            cursor.execute("SET FOREIGN_KEY_CHECKS = 0")
            try:
                triggers = self._triggers(cursor, tables)
                for name in triggers:
                    cursor.execute(f"DROP TRIGGER {self.quote(name)}")
                try:
                    for table in tables:
                        cursor.execute(f"DELETE FROM {self.quote(table)}")
                        self._copy_rows(cursor, pristine, here, table)
                finally:
                    for statement in triggers.values():
                        cursor.execute(statement)
            finally:
                cursor.execute("SET FOREIGN_KEY_CHECKS = 1")

    def tables_with_rows(self, tables):
        if not tables:
            return set()
        parts = [
            f"SELECT %s FROM DUAL WHERE EXISTS (SELECT 1 FROM {self.quote(table)})"
            for table in tables
        ]
        with self.connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), list(tables))
            return {table for (table,) in cursor.fetchall()}

    def _triggers(self, cursor, tables):
        """``{name: CREATE TRIGGER statement}`` of the triggers on ``tables``."""
        if not tables:
            return {}
        cursor.execute(
            "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = "
            f"DATABASE() AND EVENT_OBJECT_TABLE IN ({', '.join(['%s'] * len(tables))}) "
            "ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER",
            list(tables),
        )
        statements = {}
        for (name,) in cursor.fetchall():
            cursor.execute(f"SHOW CREATE TRIGGER {self.quote(name)}")
            row = cursor.fetchone()
            statements[name] = row[2]  # SQL Original Statement
        return statements

    def drop(self):
        self.connection.close()
        with django_testdb.nodb_cursor(self.connection) as cursor:
            for database in (self.name, self.pristine_name):
                cursor.execute(f"DROP DATABASE IF EXISTS {self.quote(database)}")

    def signature(self, tables):
        if not tables:
            return {}
        with self.connection.cursor() as cursor:
            cursor.execute(f"CHECKSUM TABLE {', '.join(self.quote(t) for t in tables)}")
            rows = cursor.fetchall()
        # A missing table has a NULL checksum (and a warning), not an error.
        return {name.rsplit(".", 1)[-1]: str(checksum) for name, checksum in rows}

    def structure(self):
        with self.connection.cursor() as cursor:
            cursor.execute(STRUCTURE, [marker.TABLE, marker.TABLE])
            lines = sorted(line for (line,) in cursor.fetchall())
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]

    def counters(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = DATABASE() AND AUTO_INCREMENT IS NOT NULL "
                "AND TABLE_NAME <> %s",
                [marker.TABLE],
            )
            return {name: str(value) for name, value in cursor.fetchall()}

    def reset_counters(self, saved):
        current = self.counters()
        with self.connection.cursor() as cursor:
            for table, value in saved.items():
                if current.get(table) != value:
                    cursor.execute(f"ALTER TABLE {self.quote(table)} AUTO_INCREMENT = {int(value)}")

    # Copies for parallel workers are marked by the database's comment
    # (MariaDB 10.5+); MySQL has none, so a copy a killed run left there is
    # not known as ours and stops the next run, naming it.

    def clone_owned(self, name, mark):
        comment = "SCHEMA_COMMENT" if self.connection.mysql_is_mariadb else "NULL"
        with django_testdb.nodb_cursor(self.connection) as cursor:
            cursor.execute(
                f"SELECT {comment} FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", [name]
            )
            row = cursor.fetchone()
        return None if row is None else row[0] == mark

    def mark_clone(self, name, mark):
        if self.connection.mysql_is_mariadb:
            with django_testdb.nodb_cursor(self.connection) as cursor:
                cursor.execute(f"ALTER DATABASE {self.quote(name)} COMMENT = %s", [mark[:1024]])

    # Another client's locks: table and metadata locks wait for
    # lock_wait_timeout (a day on MariaDB, a year on MySQL).

    watch_from_outside = True

    def is_lock_wait(self, error):
        return bool(error.args) and error.args[0] == LOCK_WAIT_TIMEOUT

    def session_id(self):
        raw = self.connection.connection
        return None if raw is None else raw.thread_id()

    def lock_holders(self, side, session):
        with side.cursor() as cursor:
            cursor.execute(BLOCKED, [session, session])
            if not cursor.fetchone()[0]:
                return None
            cursor.execute(OTHER_SESSIONS, [self.name, session])
            rows = cursor.fetchall()
        sessions = ", ".join(f"{id_} ({command} for {time} s)" for id_, command, time in rows)
        return f"MariaDB/MySQL sessions on it: {sessions or 'none'}"

    def interrupt(self, side, session):
        with side.cursor() as cursor:
            cursor.execute("KILL QUERY %s", [session])
