"""PostgreSQL: the pristine copy is a database made with ``CREATE DATABASE
... TEMPLATE``, which copies files and is the cheapest exact restore there
is (rows, structure, sequences; no trigger fires). Sequences are reset to
their pristine values at the end of a clean run, so primary keys start where
they would in a fresh database."""

import hashlib

from django.db import DatabaseError, OperationalError

from nose_speedup.compat import django_compat
from nose_speedup.reuse import marker
from nose_speedup.reuse.backends.base import Backend, RestoreImpossible

# Columns, indexes, constraints and triggers of the tables of the schemas in
# the search path, ours excepted, one line each.
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
"""


class PostgreSQLBackend(Backend):
    vendor = "postgresql"

    def exists(self):
        try:
            self.connection.ensure_connection()
            return True
        except OperationalError:
            if not self._database_exists(self.name):
                return False
            raise

    def _database_exists(self, name):
        with django_compat.nodb_cursor(self.connection) as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None

    def _drop(self, cursor, name):
        # FORCE (PostgreSQL 13+) ends the sessions a killed run may have left.
        force = " WITH (FORCE)" if cursor.db.pg_version >= 130000 else ""
        cursor.execute(f"DROP DATABASE IF EXISTS {self.quote(name)}{force}")

    def _copy(self, source, target):
        django_compat.close_connection_and_pool(self.connection)
        with django_compat.nodb_cursor(self.connection) as cursor:
            self._drop(cursor, target)
            cursor.execute(f"CREATE DATABASE {self.quote(target)} TEMPLATE {self.quote(source)}")

    def pristine_contents(self):
        if not self._database_exists(self.pristine_name):
            return None, []
        pristine = django_compat.connection_to(self.connection, self.pristine_name)
        try:
            with pristine.cursor() as cursor:
                tables = pristine.introspection.table_names(cursor)
            found = marker.read(pristine) if marker.TABLE in tables else None
            return found, [table for table in tables if table != marker.TABLE]
        finally:
            pristine.close()

    def snapshot(self):
        self._copy(self.name, self.pristine_name)

    def restore_from_pristine(self, saved):
        try:
            self._copy(self.pristine_name, self.name)
        except DatabaseError as error:
            raise RestoreImpossible(f"copying its pristine copy failed ({error})") from None

    def drop(self):
        django_compat.close_connection_and_pool(self.connection)
        with django_compat.nodb_cursor(self.connection) as cursor:
            self._drop(cursor, self.name)
            self._drop(cursor, self.pristine_name)

    def signature(self, tables):
        if not tables:
            return {}
        parts = [
            f"SELECT %s, count(*) || ':' || md5(coalesce(string_agg(nose_speedup_row::text, "
            f"E'\\n' ORDER BY nose_speedup_row::text), '')) FROM {self.quote(table)} "
            "nose_speedup_row"
            for table in tables
        ]
        with self.connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), list(tables))
            return dict(cursor.fetchall())

    def structure(self):
        with self.connection.cursor() as cursor:
            cursor.execute(STRUCTURE, [marker.TABLE])
            lines = sorted(line for (line,) in cursor.fetchall())
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]

    def counters(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), "
                "coalesce(last_value::text || ',t', start_value::text || ',f') FROM pg_sequences "
                "WHERE schemaname = ANY(current_schemas(false))"
            )
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

