"""The fast flush's probe on PostgreSQL (see ``vendors.probe_base``)."""

from nose_speedup.vendors.probe_base import (
    HAS_NO_TRUNCATE_RIGHT,
    HAS_OUTSIDE_REFERENCE,
    HAS_TRIGGER,
    OTHER_SCHEMA,
    Fallback,
    Probe,
)


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
