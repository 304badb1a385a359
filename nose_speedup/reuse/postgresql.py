"""PostgreSQL: the pristine copy is a database made with ``CREATE DATABASE
... TEMPLATE``, which copies files and is the cheapest exact restore there is.
Sequences are reset to their pristine values at the end of a clean run, so
primary keys start where they would in a fresh database."""

from django.db import OperationalError

from nose_speedup.reuse import compat
from nose_speedup.reuse.snapshots import pristine_name


def _quote(connection, name):
    return connection.ops.quote_name(name)


def exists(connection):
    try:
        connection.ensure_connection()
        return True
    except OperationalError:
        with compat.nodb_cursor(connection) as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [connection.settings_dict["NAME"]]
            )
            if cursor.fetchone() is None:
                return False
        raise


def _drop(cursor, name):
    # FORCE (PostgreSQL 13+) ends the sessions a killed run may have left.
    force = " WITH (FORCE)" if cursor.db.pg_version >= 130000 else ""
    cursor.execute(f"DROP DATABASE IF EXISTS {_quote(cursor.db, name)}{force}")


def _copy(connection, source, target):
    compat.close_connections(connection)
    with compat.nodb_cursor(connection) as cursor:
        _drop(cursor, target)
        cursor.execute(
            f"CREATE DATABASE {_quote(connection, target)} TEMPLATE {_quote(connection, source)}"
        )


def snapshot(connection):
    name = connection.settings_dict["NAME"]
    _copy(connection, name, pristine_name(name))


def restore(connection, _marker):
    name = connection.settings_dict["NAME"]
    _copy(connection, pristine_name(name), name)


def drop(connection):
    name = connection.settings_dict["NAME"]
    compat.close_connections(connection)
    with compat.nodb_cursor(connection) as cursor:
        _drop(cursor, name)
        _drop(cursor, pristine_name(name))


def signature(connection, tables):
    if not tables:
        return {}
    quote = connection.ops.quote_name
    parts = [
        f"SELECT %s, count(*) || ':' || md5(coalesce(string_agg(nose_speedup_row::text, "
        f"E'\\n' ORDER BY nose_speedup_row::text), '')) FROM {quote(table)} nose_speedup_row"
        for table in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), list(tables))
        return dict(cursor.fetchall())


def counters(connection):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), "
            "coalesce(last_value::text || ',t', start_value::text || ',f') FROM pg_sequences "
            "WHERE schemaname = ANY(current_schemas(false))"
        )
        return dict(cursor.fetchall())


def reset_counters(connection, saved):
    if not saved:
        return
    calls, params = [], []
    for name, value in saved.items():
        number, called = value.split(",")
        calls.append("setval(%s::regclass, %s, %s)")
        params += [name, int(number), called == "t"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(calls)}", params)
