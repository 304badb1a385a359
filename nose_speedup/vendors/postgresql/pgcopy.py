"""PostgreSQL without ``pg_dump``: the portable fallback.

Used to save when ``pg_dump`` is not installed or is older than the server
(which it refuses); the file it writes loads with psycopg alone, so a
machine without the client tools loads it too. It writes one JSON file:

``before``     statements run first: extensions, functions, sequences not
               made by identity columns, and the tables (columns, types,
               defaults, identity, generated columns, ``NOT NULL``);
``rows``       per table, its rows in ``COPY`` text format;
``after``      statements run after the rows: constraints (foreign keys
               last), indexes, views, triggers, then ``setval`` of every
               sequence.

The definitions come from PostgreSQL's own catalog functions
(``format_type``, ``pg_get_expr``, ``pg_get_constraintdef``,
``pg_get_indexdef``, ``pg_get_viewdef``, ``pg_get_triggerdef``,
``pg_get_functiondef``) for the schemas of the search path. It covers what
Django's migrations make; partitioned tables and materialized views are
refused (``DumpFailed``: install ``pg_dump``). Comments, grants and owners
are not kept (``pg_dump`` is called with ``--no-owner --no-privileges``
too). The load runs in one transaction.
"""

import json

from nose_speedup.vendors import marker

METHOD = "psycopg COPY + catalog DDL (no pg_dump)"
OWN = (
    "SELECT c.oid, c.relname, c.relkind FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = ANY(current_schemas(false)) AND c.relname <> %s "
    "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') "
    "ORDER BY c.oid"
)
COLUMNS = """
SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
       a.attgenerated, pg_get_expr(d.adbin, d.adrelid),
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END
FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
"""
# Enums, domains, ranges: CREATE TYPE is not written.
TYPES = (
    "SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
    "WHERE n.nspname = ANY(current_schemas(false)) AND t.typtype IN ('e', 'd', 'r', 'm') "
    "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')"
)


class Unsupported(Exception):
    """Something the fallback cannot copy exactly."""


def _rows(cursor, sql, params=None):
    cursor.execute(sql, params)
    return cursor.fetchall()


def _ident(cursor, name):
    return _rows(cursor, "SELECT quote_ident(%s)", [name])[0][0]


def _sequence_ddl(cursor, oid, name):
    """``CREATE SEQUENCE`` with the sequence's own type, start, increment,
    bounds, cache and cycling (from ``pg_sequence``): a bare one would count
    from 1 in steps of 1 whatever the source did."""
    (type_name, start, increment, maximum, minimum, cache, cycle), = _rows(
        cursor,
        "SELECT format_type(seqtypid, NULL), seqstart, seqincrement, seqmax, seqmin, "
        "seqcache, seqcycle FROM pg_sequence WHERE seqrelid = %s",
        [oid],
    )
    return (
        f"CREATE SEQUENCE {_ident(cursor, name)} AS {type_name} INCREMENT BY {increment} "
        f"MINVALUE {minimum} MAXVALUE {maximum} START WITH {start} CACHE {cache} "
        f"{'CYCLE' if cycle else 'NO CYCLE'}"
    )


def _table_ddl(cursor, oid, name):
    columns, copied = [], []
    for column, kind, not_null, identity, generated, default, collation in _rows(
        cursor, COLUMNS, [oid]
    ):
        text = f"{_ident(cursor, column)} {kind}"
        if collation:
            text += f' COLLATE "{collation}"'
        if generated == "s":
            text += f" GENERATED ALWAYS AS ({default}) STORED"
        else:
            copied.append(_ident(cursor, column))
            if identity:
                text += f" GENERATED {'ALWAYS' if identity == 'a' else 'BY DEFAULT'} AS IDENTITY"
            elif default is not None:
                text += f" DEFAULT {default}"
        if not_null:
            text += " NOT NULL"
        columns.append(text)
    return f"CREATE TABLE {name} ({', '.join(columns)})", copied


def dump(connection, path):
    """Write the database ``connection`` points at to ``path``."""
    before, rows, after, foreign = [], [], [], []
    with connection.cursor() as cursor:
        own = _rows(cursor, OWN, [marker.TABLE])
        kinds = {kind for _oid, _name, kind in own}
        if kinds & {"p", "m", "f", "c"} or _rows(cursor, TYPES):
            raise Unsupported(
                "partitioned or foreign tables, materialized views or types of its own"
            )
        extensions = "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"
        for (extension,) in _rows(cursor, extensions):
            before.append(f"CREATE EXTENSION IF NOT EXISTS {_ident(cursor, extension)}")
        before += [definition for (definition,) in _rows(
            cursor,
            "SELECT pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n "
            "ON n.oid = p.pronamespace WHERE n.nspname = ANY(current_schemas(false)) "
            "AND p.prokind IN ('f', 'p') AND NOT EXISTS (SELECT 1 FROM pg_depend d "
            "WHERE d.objid = p.oid AND d.deptype = 'e') ORDER BY p.oid",
        )]
        tables = {oid: _ident(cursor, name) for oid, name, kind in own if kind == "r"}
        oids = "{" + ",".join(str(oid) for oid in tables) + "}"
        for oid, name, kind in own:
            if kind == "S" and not _rows(
                cursor, "SELECT 1 FROM pg_depend WHERE objid = %s AND deptype = 'i'", [oid]
            ):
                before.append(_sequence_ddl(cursor, oid, name))
        for oid, name in tables.items():
            ddl, copied = _table_ddl(cursor, oid, name)
            before.append(ddl)
            data = bytearray()
            with cursor.cursor.copy(f"COPY {name} ({', '.join(copied)}) TO STDOUT") as copy:
                for chunk in copy:
                    data += chunk
            rows.append({"table": name, "columns": copied, "data": data.decode()})
        for table, con_name, definition, kind in _rows(
            cursor,
            "SELECT conrelid, conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = ANY(%s::oid[]) ORDER BY oid", [oids],
        ):
            statement = (f"ALTER TABLE {tables[table]} ADD CONSTRAINT "
                         f"{_ident(cursor, con_name)} {definition}")
            (foreign if kind == "f" else after).append(statement)
        after += [definition for (definition,) in _rows(
            cursor,
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::oid[]) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
            "ORDER BY i.indexrelid", [oids],
        )]
        after += foreign
        for oid, name, kind in own:
            if kind == "v":
                view = _rows(cursor, "SELECT pg_get_viewdef(%s)", [oid])[0][0]
                after.append(f"CREATE VIEW {_ident(cursor, name)} AS {view}")
        after += [definition for (definition,) in _rows(
            cursor,
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = ANY(%s::oid[]) "
            "AND NOT tgisinternal ORDER BY oid", [oids],
        )]
        for sequence, value, called in _rows(
            cursor,
            "SELECT quote_literal(quote_ident(schemaname) || '.' || quote_ident(sequencename)), "
            "coalesce(last_value, start_value), last_value IS NOT NULL FROM pg_sequences "
            "WHERE schemaname = ANY(current_schemas(false))",
        ):
            after.append(f"SELECT setval({sequence}, {int(value)}, {str(called).lower()})")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"before": before, "rows": rows, "after": after}, handle)


def load(connection, path):
    """Load the file ``path`` into the (empty but for the marker) database
    ``connection`` points at, in one transaction."""
    from django.db import transaction

    with open(path, encoding="utf-8") as handle:
        contents = json.load(handle)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in contents["before"]:
            cursor.execute(statement)
        for table in contents["rows"]:
            sql = f"COPY {table['table']} ({', '.join(table['columns'])}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                copy.write(table["data"])
        for statement in contents["after"]:
            cursor.execute(statement)
