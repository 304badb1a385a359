"""PostgreSQL: the pristine copy is a database made with ``CREATE DATABASE
... TEMPLATE`` (rows, structure, sequences; no trigger fires), and the
pristine rows of the tables that hold rows after the build (those
migrations and ``post_migrate`` handlers filled) are also kept in the test
database itself, in the schema ``nose_speedup_pristine``, which is not on
the ``search_path`` (Django's introspection and flush never see it).

A warm start reads everything it checks in one query: the structure digest,
for each table that is empty in the pristine state whether it has a row, a
checksum of the few tables that hold rows, and the sequences. A restore of
changed tables runs in one transaction with ``session_replication_role =
replica`` (no trigger and no foreign key check fires; without superuser
rights, the tables' user triggers disabled and the foreign keys deferred to
the commit instead, see ``postgresql_rights``) whose commit does not
wait for the disk (``synchronous_commit = off``: a crash can only undo the
whole restore, which the next start redoes): ``DELETE`` and
``INSERT ... SELECT`` from the kept rows, then ``setval`` of the sequences.
Only a changed structure needs the whole copy from the template. Sequences
are reset to their pristine values at the end of a clean run too, so primary
keys start where they would in a fresh database."""

from django.db import DatabaseError, OperationalError, transaction

from nose_speedup.compat import django_testdb
from nose_speedup.vendors import marker
from nose_speedup.vendors.postgresql import rights
from nose_speedup.vendors.reuse_base import HAS_ROWS, Backend, RestoreImpossible

PRISTINE_SCHEMA = "nose_speedup_pristine"
# count(*) || ':' || md5('') of a table without rows.
EMPTY = "0:d41d8cd98f00b204e9800998ecf8427e"
SEQUENCES = (
    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), "
    "coalesce(last_value::text || ',t', start_value::text || ',f') FROM pg_sequences "
    "WHERE schemaname = ANY(current_schemas(false))"
)
INSERTABLE_COLUMNS = """
SELECT c.relname, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
WHERE a.attrelid = ANY(%s::regclass[]) AND a.attnum > 0 AND NOT a.attisdropped
AND a.attgenerated = '' GROUP BY c.relname
"""

# Columns, indexes, constraints and triggers of the tables of the schemas in
# the search path, ours excepted, and the functions and the sequences'
# definitions there (their values are counters), one line each.
STRUCTURE = """
WITH own AS (
    SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY(current_schemas(false)) AND c.relkind IN ('r', 'p', 'v', 'm')
    AND c.relname <> %s
)
SELECT own.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
FROM own JOIN pg_attribute a ON a.attrelid = own.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
UNION ALL SELECT pg_get_indexdef(i.indexrelid) FROM own JOIN pg_index i ON i.indrelid = own.oid
UNION ALL SELECT own.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
FROM own JOIN pg_constraint con ON con.conrelid = own.oid
UNION ALL SELECT pg_get_triggerdef(t.oid) FROM own JOIN pg_trigger t ON t.tgrelid = own.oid
WHERE NOT t.tgisinternal
UNION ALL SELECT 'function ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc)
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = ANY(current_schemas(false))
UNION ALL SELECT concat_ws(' ', 'sequence', c.relname, s.seqtypid, s.seqstart, s.seqmin,
                           s.seqmax, s.seqincrement, s.seqcycle, s.seqcache)
FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY(current_schemas(false))
"""
# One digest of it, computed by the server (the order does not depend on the
# database's collation).
# The sessions holding the locks a session waits for.
LOCK_HOLDERS = (
    "SELECT pid, coalesce(nullif(application_name, ''), usename), state, left(query, 60) "
    "FROM pg_stat_activity WHERE pid = ANY(pg_blocking_pids(%s)) ORDER BY pid"
)
STRUCTURE_DIGEST = (
    "SELECT md5(coalesce(string_agg(line, E'\\n' ORDER BY line COLLATE \"C\"), '')) "
    f"FROM ({STRUCTURE}) AS structure(line)"
)


class PostgreSQLBackend(Backend):
    vendor = "postgresql"
    EMPTY = EMPTY

    def exists(self):
        try:
            self.connection.ensure_connection()
            return True
        except OperationalError:
            if not self._database_exists(self.name):
                return False
            raise

    def holds_anything(self):
        """Tables outside the search path count too (a schema ``archive``)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "AND n.nspname NOT LIKE 'pg\\_toast%%' AND c.relname <> %s)",
                [marker.TABLE],
            )
            return cursor.fetchone()[0]

    def _database_exists(self, name):
        with django_testdb.nodb_cursor(self.connection) as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None

    def _drop(self, cursor, name):
        # FORCE (PostgreSQL 13+) ends the sessions a killed run may have left.
        force = " WITH (FORCE)" if cursor.db.pg_version >= 130000 else ""
        cursor.execute(f"DROP DATABASE IF EXISTS {self.quote(name)}{force}")

    def _copy(self, source, target):
        django_testdb.close_connection_and_pool(self.connection)
        with django_testdb.nodb_cursor(self.connection) as cursor:
            self._drop(cursor, target)
            cursor.execute(f"CREATE DATABASE {self.quote(target)} TEMPLATE {self.quote(source)}")

    def pristine_contents(self):
        if not self._database_exists(self.pristine_name):
            return None, []
        pristine = django_testdb.connection_to(self.connection, self.pristine_name)
        try:
            with pristine.cursor() as cursor:
                tables = pristine.introspection.table_names(cursor)
            found = marker.read(pristine) if marker.TABLE in tables else None
            return found, [table for table in tables if table != marker.TABLE]
        finally:
            pristine.close()

    def snapshot(self):
        schema = self.quote(PRISTINE_SCHEMA)
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
            for table in sorted(self.tables_with_rows(self.tables())):
                quoted = self.quote(table)
                cursor.execute(f"CREATE TABLE {schema}.{quoted} AS SELECT * FROM {quoted}")
        self._copy(self.name, self.pristine_name)

    def restore_tables(self, tables, saved):
        pristine = saved.group(marker.TABLES)
        filled = [table for table in tables if pristine.get(table) != EMPTY]
        schema = self.quote(PRISTINE_SCHEMA)
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            triggered = rights.switch_triggers_off(self, cursor, tables)
            # A crash that loses this commit leaves the database as the
            # start found it, which the next start compares and restores.
            cursor.execute("SET LOCAL synchronous_commit = off")
            columns = {}
            if filled:
                cursor.execute(INSERTABLE_COLUMNS, [[self.quote(table) for table in filled]])
                columns = dict(cursor.fetchall())
            for table in tables:
                quoted = self.quote(table)
                cursor.execute(f"DELETE FROM {quoted}")
                if table in filled:
                    names = columns[table]
                    cursor.execute(
                        f"INSERT INTO {quoted} ({names}) OVERRIDING SYSTEM VALUE "
                        f"SELECT {names} FROM {schema}.{quoted}"
                    )
            rights.switch_triggers_on(cursor, triggered)

    def restore_from_pristine(self, saved):
        try:
            self._copy(self.pristine_name, self.name)
        except DatabaseError as error:
            raise RestoreImpossible(f"copying its pristine copy failed ({error})") from None

    def drop(self):
        django_testdb.close_connection_and_pool(self.connection)
        with django_testdb.nodb_cursor(self.connection) as cursor:
            self._drop(cursor, self.name)
            self._drop(cursor, self.pristine_name)

    def signature(self, tables):
        if not tables:
            return {}
        with self.connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(self._signature_parts(tables)), list(tables))
            return {name: value for _kind, name, value in cursor.fetchall()}

    def _signature_parts(self, tables):
        return [
            f"SELECT 'table', %s, count(*) || ':' || md5(coalesce(string_agg("
            f"nose_speedup_row::text, E'\\n' ORDER BY nose_speedup_row::text), '')) "
            f"FROM {self.quote(table)} nose_speedup_row"
            for table in tables
        ]

    def tables_with_rows(self, tables):
        if not tables:
            return set()
        parts = [f"SELECT %s WHERE EXISTS (SELECT 1 FROM {self.quote(t)})" for t in tables]
        with self.connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), list(tables))
            return {table for (table,) in cursor.fetchall()}

    def inspect(self, pristine):
        """Everything a warm start checks, in one query."""
        empty = [table for table, signature in pristine.items() if signature == EMPTY]
        parts = [f"SELECT 'structure', '', ({STRUCTURE_DIGEST})"]
        parts += [
            f"SELECT 'table', %s, CASE WHEN EXISTS (SELECT 1 FROM {self.quote(table)}) "
            f"THEN '{HAS_ROWS}' ELSE '{EMPTY}' END"
            for table in empty
        ]
        filled = [table for table in pristine if table not in empty]
        parts += self._signature_parts(filled)
        parts.append(f"SELECT 'counter', * FROM ({SEQUENCES}) AS sequences")
        found = {"structure": {}, "table": {}, "counter": {}}
        with self.connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), [marker.TABLE, *empty, *filled])
            for kind, name, value in cursor.fetchall():
                found[kind][name] = value
        return found["structure"].get(""), found["table"], found["counter"]

    def structure(self):
        with self.connection.cursor() as cursor:
            cursor.execute(STRUCTURE_DIGEST, [marker.TABLE])
            return cursor.fetchone()[0]

    def counters(self):
        with self.connection.cursor() as cursor:
            cursor.execute(SEQUENCES)
            return dict(cursor.fetchall())

    def reset_counters(self, saved):
        if not saved:
            return
        calls, params = [], []
        for name, value in saved.items():
            number, called = value.split(",")
            calls.append("setval(%s::regclass, %s, %s)")
            params += [name, int(number), called == "t"]
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(calls)}", params)

    # Copies for parallel workers are marked by the database's comment.

    def clone_owned(self, name, mark):
        with django_testdb.nodb_cursor(self.connection) as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [name],
            )
            row = cursor.fetchone()
        return None if row is None else row[0] == mark

    def mark_clone(self, name, mark):
        literal = "'" + mark.replace("'", "''") + "'"
        with django_testdb.nodb_cursor(self.connection) as cursor:
            cursor.execute(f"COMMENT ON DATABASE {self.quote(name)} IS {literal}")

    # Another client's locks: PostgreSQL waits for them without end.

    watch_from_outside = True
    SIDE_DATABASE = "postgres"  # Django's own choice for server-wide statements

    def session_id(self):
        raw = self.connection.connection
        return None if raw is None else raw.info.backend_pid  # psycopg 3, and psycopg2 2.8+

    def lock_holders(self, side, session):
        with side.cursor() as cursor:
            cursor.execute(LOCK_HOLDERS, [session])
            rows = cursor.fetchall()
        if not rows:
            return None
        return "; ".join(
            f"PostgreSQL session {pid} ({who}, {state}: {query})"
            for pid, who, state, query in rows
        )

    def interrupt(self, side, session):
        with side.cursor() as cursor:
            cursor.execute("SELECT pg_cancel_backend(%s)", [session])
