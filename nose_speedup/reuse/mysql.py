"""MySQL and MariaDB: the pristine copy is a database holding a copy of each
table (``CREATE TABLE ... LIKE`` and ``INSERT ... SELECT``). A restore
compares each table's ``CHECKSUM TABLE`` with the one recorded at build time
and copies back only the tables that differ, inside the tables Django created
(so foreign keys and indexes stay as migrations made them). AUTO_INCREMENT
counters, which a rollback does not undo, are reset at the end of a clean run.
"""

from django.db import OperationalError

from nose_speedup.reuse import compat
from nose_speedup.reuse.snapshots import (
    RestoreImpossible,
    changed_tables,
    pristine_name,
    user_tables,
)

UNKNOWN_DATABASE = 1049


def _quote(connection, name):
    return connection.ops.quote_name(name)


def exists(connection):
    try:
        connection.ensure_connection()
        return True
    except OperationalError as error:
        if error.args and error.args[0] == UNKNOWN_DATABASE:
            return False
        raise


def _columns(cursor, table):
    """Stored columns: generated ones cannot be inserted into."""
    cursor.execute(
        "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
        "AND TABLE_NAME = %s AND COALESCE(GENERATION_EXPRESSION, '') = '' "
        "ORDER BY ORDINAL_POSITION",
        [table],
    )
    return ", ".join(f"`{name}`" for (name,) in cursor.fetchall())


def snapshot(connection):
    pristine = _quote(connection, pristine_name(connection.settings_dict["NAME"]))
    tables = user_tables(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {pristine}")
        cursor.execute(f"CREATE DATABASE {pristine}")
        for table in tables:
            quoted = _quote(connection, table)
            cursor.execute(f"CREATE TABLE {pristine}.{quoted} LIKE {quoted}")
            columns = _columns(cursor, table)
            cursor.execute(
                f"INSERT INTO {pristine}.{quoted} ({columns}) SELECT {columns} FROM {quoted}"
            )


def restore(connection, marker):
    pristine = _quote(connection, pristine_name(connection.settings_dict["NAME"]))
    saved = marker.group("table")
    tables = user_tables(connection)
    stale = changed_tables(saved, signature(connection, tables))
    with connection.cursor() as cursor:
        cursor.execute("SET FOREIGN_KEY_CHECKS = 0")
        try:
            for table in stale:
                quoted = _quote(connection, table)
                if table not in saved:  # created by a test
                    cursor.execute(f"DROP TABLE {quoted}")
                    continue
                if table not in tables:  # dropped by a test: no exact copy
                    raise RestoreImpossible(f"a test dropped table {table}")
                cursor.execute(f"DELETE FROM {quoted}")
                columns = _columns(cursor, table)
                cursor.execute(
                    f"INSERT INTO {quoted} ({columns}) SELECT {columns} FROM {pristine}.{quoted}"
                )
        finally:
            cursor.execute("SET FOREIGN_KEY_CHECKS = 1")
    reset_counters(connection, marker.group("counter"))


def drop(connection):
    name = connection.settings_dict["NAME"]
    connection.close()
    with compat.nodb_cursor(connection) as cursor:
        for database in (name, pristine_name(name)):
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(connection, database)}")


def signature(connection, tables):
    if not tables:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"CHECKSUM TABLE {', '.join(_quote(connection, t) for t in tables)}")
        return {name.rsplit(".", 1)[-1]: str(checksum) for name, checksum in cursor.fetchall()}


def counters(connection):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE() AND AUTO_INCREMENT IS NOT NULL"
        )
        return {name: str(value) for name, value in cursor.fetchall()}


def reset_counters(connection, saved):
    current = counters(connection)
    with connection.cursor() as cursor:
        for table, value in saved.items():
            if current.get(table) != value:
                quoted = _quote(connection, table)
                cursor.execute(f"ALTER TABLE {quoted} AUTO_INCREMENT = {int(value)}")
