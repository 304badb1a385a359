"""Per backend: which of Django's flush tables hold rows, in one query,
and whether something makes emptying only those inexact (``Fallback``); on
PostgreSQL also which must be emptied whatever the probe saw (row-level
security) and which may be emptied with ``DELETE`` instead of ``TRUNCATE``.
One ``Probe`` subclass per vendor overrides only what differs; see the
package docstring for why the subset leaves Django's end state."""

from nose_speedup.compat import django_flush

# Compound SELECTs stay below SQLite's default limit of 500 terms.
BRANCHES_PER_QUERY = 400

# Why a flush goes to Django's command, found by a probe.
TRIGGER = "a trigger the flush could fire"
OUTSIDE_REFERENCE = "a table outside Django's flush list references one in it"
OTHER_SCHEMA = "a table in a schema off the search path references a flushed one"
NO_TRUNCATE_RIGHT = "the test user may not TRUNCATE a table Django's flush truncates"

# Probe rows other than table indexes.
HAS_TRIGGER = -1
HAS_OUTSIDE_REFERENCE = -2
HAS_NO_TRUNCATE_RIGHT = -3


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

    def table_queries(self, tables):
        """SELECTs of codes other than the flags' (one row per code)."""
        return []

    def branch(self, code, query):
        return f"SELECT {code}{self.from_clause} WHERE EXISTS ({query})"

    def non_empty(self, tables, allow_cascade):
        """The tables of ``tables`` to empty (those that hold a row); raises
        Fallback on a flag."""
        found = self.probe(tables, allow_cascade)
        return [table for index, table in enumerate(tables) if index in found]

    def probe(self, tables, allow_cascade):
        """The codes the probe found: the indexes of the tables holding a
        row, those of ``table_queries``; raises Fallback on a flag."""
        quote = self.connection.ops.quote_name
        branches = [
            self.branch(index, f"SELECT 1 FROM {quote(table)}")
            for index, table in enumerate(tables)
        ]
        branches += [self.branch(code, query) for code, query in
                     self.flag_queries(tables, allow_cascade)]
        branches += self.table_queries(tables)
        found = set()
        with self.connection.cursor() as cursor:
            for start in range(0, len(branches), BRANCHES_PER_QUERY):
                cursor.execute(" UNION ALL ".join(branches[start:start + BRANCHES_PER_QUERY]))
                found.update(row[0] for row in cursor.fetchall())
        if HAS_TRIGGER in found:
            raise Fallback(TRIGGER)
        if HAS_OUTSIDE_REFERENCE in found:
            raise Fallback(OUTSIDE_REFERENCE)
        if HAS_NO_TRUNCATE_RIGHT in found:
            raise Fallback(NO_TRUNCATE_RIGHT)
        return found


class PostgreSQLProbe(Probe):
    """Django's ``TRUNCATE`` pays a large fixed cost at commit (new files for
    every table and index); a ``DELETE`` of a few small tables does not. A
    ``DELETE`` leaves what the ``TRUNCATE`` leaves (no sequence moves with
    either) unless something on or into the table tells them apart; such a
    table is truncated, as Django truncates it:

    * row-level security: a ``DELETE`` (and the probe) sees only the rows
      the policies show; such a table is emptied on every flush, probe or not;
    * a trigger or rule on ``DELETE`` (the ``TRUNCATE`` fires neither);
    * a foreign key into it with an ``ON DELETE`` action, or one that cannot
      be deferred to the commit (the ``TRUNCATE`` cascades without checking);
    * partitions, inheritance, no ``DELETE`` right, or not a plain table.
    """

    # TRIGGER_TYPE_TRUNCATE and TRIGGER_TYPE_DELETE in pg_trigger.tgtype.
    TRUNCATE_TRIGGER = 32
    DELETE_TRIGGER = 8

    def __init__(self, connection):
        super().__init__(connection)
        self.truncated = set()  # tables a DELETE would not empty as a TRUNCATE does

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
        listed = self._regclasses(tables)
        flags = [(HAS_TRIGGER, "SELECT 1 FROM pg_trigger WHERE NOT tgisinternal "
                               f"AND tgtype & {self.TRUNCATE_TRIGGER} <> 0"),
                 (HAS_NO_TRUNCATE_RIGHT, f"SELECT 1 FROM unnest({listed}) AS t(oid) "
                                         "WHERE NOT has_table_privilege(t.oid, 'TRUNCATE')")]
        if not allow_cascade:
            # IN (SELECT ...): the list is cast once, not once per constraint.
            flags.append((HAS_OUTSIDE_REFERENCE,
                          "SELECT 1 FROM pg_constraint WHERE contype = 'f' "
                          f"AND confrelid IN (SELECT unnest({listed})) "
                          f"AND conrelid NOT IN (SELECT unnest({listed}))"))
        return flags

    def table_queries(self, tables):
        """Codes ``len(tables) + i``: table ``i`` must be truncated if it
        holds rows; ``2 * len(tables) + i``: it has row-level security."""
        count = len(tables)
        return [
            f"SELECT (CASE WHEN c.relrowsecurity THEN {2 * count} ELSE {count} END"
            f" + t.i - 1)::int FROM unnest({self._regclasses(tables)}) WITH ORDINALITY"
            " AS t(oid, i) JOIN pg_class c ON c.oid = t.oid WHERE c.relrowsecurity"
            " OR c.relkind <> 'r' OR c.relhassubclass OR c.relispartition"
            " OR NOT has_table_privilege(c.oid, 'DELETE')"
            " OR c.oid IN (SELECT tgrelid FROM pg_trigger WHERE NOT tgisinternal"
            f" AND tgtype & {self.DELETE_TRIGGER} <> 0)"
            " OR c.oid IN (SELECT ev_class FROM pg_rewrite WHERE ev_type = '4')"
            " OR c.oid IN (SELECT confrelid FROM pg_constraint WHERE contype = 'f'"
            " AND (confdeltype <> 'a' OR NOT condeferrable))"
        ]

    def non_empty(self, tables, allow_cascade):
        found = self.probe(tables, allow_cascade)
        count = len(tables)
        secured = {index for index in range(count) if 2 * count + index in found}
        self.truncated = {tables[index] for index in range(count)
                          if count + index in found or index in secured}
        return [table for index, table in enumerate(tables)
                if index in found or index in secured]

    def flush_sql(self, tables):
        """``TRUNCATE`` first (its ``CASCADE`` may empty a table deleted
        after; a table with pending foreign-key checks cannot be truncated),
        then a ``DELETE`` per other table, foreign keys checked at commit."""
        from django.core.management.color import no_style

        truncated = [table for table in tables if table in self.truncated]
        # CASCADE takes the empty tables referencing these: all in Django's list.
        statements = self.connection.ops.sql_flush(
            no_style(), truncated, reset_sequences=False, allow_cascade=True
        )
        quote = self.connection.ops.quote_name
        deleted = [f"DELETE FROM {quote(table)};" for table in tables if table not in truncated]
        return statements + (["SET CONSTRAINTS ALL DEFERRED;", *deleted] if deleted else [])


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
