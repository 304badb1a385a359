"""Per backend: which of Django's flush tables hold rows, in one query,
and whether something makes emptying only those inexact (``Fallback``); on
PostgreSQL also which must be emptied whatever the probe saw (row-level
security) and which may be emptied with ``DELETE`` instead of ``TRUNCATE``.
One ``Probe`` subclass per vendor (``vendors/<vendor>/probe.py``) overrides
only what differs; see ``nose_speedup.fast_flush``'s docstring for why the
subset leaves Django's end state."""

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
