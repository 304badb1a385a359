"""Per backend: which of Django's flush tables hold rows, in one query,
and whether something makes emptying only those inexact (``Fallback``).
One ``Probe`` subclass per vendor overrides only what differs; see the
package docstring for why the subset leaves Django's end state."""

from nose_speedup.compat import django_flush

# Compound SELECTs stay below SQLite's default limit of 500 terms.
BRANCHES_PER_QUERY = 400

# Why a flush goes to Django's command, found by a probe.
TRIGGER = "a trigger the flush could fire"
OUTSIDE_REFERENCE = "a table outside Django's flush list references one in it"
OTHER_SCHEMA = "a table in a schema off the search path references a flushed one"

# Probe rows other than table indexes.
HAS_TRIGGER = -1
HAS_OUTSIDE_REFERENCE = -2


class Fallback(Exception):
    """Django's flush must run instead; the message says why."""


class Probe:
    """What one backend needs besides Django's flush statements: the
    emptiness probe and the conditions that make a subset inexact."""

    from_clause = ""

    def __init__(self, connection):
        self.connection = connection

    def cascade_closure(self, tables):
        """The tables a cascading flush of ``tables`` empties."""
        return list(tables)

    def flag_queries(self, tables, allow_cascade):
        """``(code, SELECT)`` pairs: the code comes back when the SELECT has a row."""
        return []

    def flush_sql(self, tables):
        from django.core.management.color import no_style

        return self.connection.ops.sql_flush(
            no_style(), tables, reset_sequences=False, allow_cascade=False
        )

    def branch(self, code, query):
        return f"SELECT {code}{self.from_clause} WHERE EXISTS ({query})"

    def non_empty(self, tables, allow_cascade):
        """The tables of ``tables`` that hold a row; raises Fallback on a flag."""
        quote = self.connection.ops.quote_name
        branches = [
            self.branch(index, f"SELECT 1 FROM {quote(table)}")
            for index, table in enumerate(tables)
        ]
        branches += [self.branch(code, query) for code, query in
                     self.flag_queries(tables, allow_cascade)]
        found = set()
        with self.connection.cursor() as cursor:
            for start in range(0, len(branches), BRANCHES_PER_QUERY):
                cursor.execute(" UNION ALL ".join(branches[start:start + BRANCHES_PER_QUERY]))
                found.update(row[0] for row in cursor.fetchall())
        if HAS_TRIGGER in found:
            raise Fallback(TRIGGER)
        if HAS_OUTSIDE_REFERENCE in found:
            raise Fallback(OUTSIDE_REFERENCE)
        return [table for index, table in enumerate(tables) if index in found]


class PostgreSQLProbe(Probe):
    # TRIGGER_TYPE_TRUNCATE in PostgreSQL's pg_trigger.tgtype.
    TRUNCATE_TRIGGER = 32

    def _regclasses(self, tables):
        quote = self.connection.ops.quote_name
        names = ", ".join("'%s'" % quote(table).replace("'", "''") for table in tables)
        return f"ARRAY[{names}]::text[]::regclass[]"

    def cascade_closure(self, tables):
        query = (
            "WITH RECURSIVE refs(oid) AS ("
            f"SELECT unnest({self._regclasses(tables)})::oid "
            "UNION SELECT con.conrelid FROM pg_constraint con "
            "JOIN refs ON con.confrelid = refs.oid WHERE con.contype = 'f') "
            "SELECT c.relname, pg_table_is_visible(c.oid) FROM refs "
            "JOIN pg_class c ON c.oid = refs.oid"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(query)
            rows = cursor.fetchall()
        if not all(visible for _, visible in rows):
            raise Fallback(OTHER_SCHEMA)
        listed = set(tables)
        return list(tables) + sorted(name for name, _ in rows if name not in listed)

    def flag_queries(self, tables, allow_cascade):
        flags = [(HAS_TRIGGER, "SELECT 1 FROM pg_trigger WHERE NOT tgisinternal "
                               f"AND tgtype & {self.TRUNCATE_TRIGGER} <> 0")]
        if not allow_cascade and tables:
            listed = self._regclasses(tables)
            flags.append((HAS_OUTSIDE_REFERENCE,
                          "SELECT 1 FROM pg_constraint WHERE contype = 'f' "
                          f"AND confrelid = ANY({listed}) AND NOT conrelid = ANY({listed})"))
        return flags

    def flush_sql(self, tables):
        from django.core.management.color import no_style

        # CASCADE takes the empty tables referencing these: all in Django's list.
        return self.connection.ops.sql_flush(
            no_style(), tables, reset_sequences=False, allow_cascade=True
        )


class SQLiteProbe(Probe):
    def cascade_closure(self, tables):
        closure = dict.fromkeys(tables)
        for table in tables:
            closure.update(dict.fromkeys(django_flush.sqlite_references(self.connection, table)))
        return list(closure)

    def flag_queries(self, tables, allow_cascade):
        return [(HAS_TRIGGER, "SELECT 1 FROM sqlite_master WHERE type = 'trigger'")]


class MySQLProbe(Probe):
    # MariaDB and MySQL need a FROM for a WHERE; Django's flush turns foreign
    # key checks off, so nothing cascades (the closure is the list).
    from_clause = " FROM DUAL"

    def flag_queries(self, tables, allow_cascade):
        return [(HAS_TRIGGER, "SELECT 1 FROM information_schema.TRIGGERS WHERE "
                              "TRIGGER_SCHEMA = DATABASE() AND EVENT_MANIPULATION = 'DELETE'")]


PROBES = {"postgresql": PostgreSQLProbe, "sqlite": SQLiteProbe, "mysql": MySQLProbe}
