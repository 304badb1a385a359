"""Fast flush: after a ``TransactionTestCase`` test, empty only the tables
that hold rows, leaving the database as Django's ``flush`` leaves it.

Django's ``TransactionTestCase._fixture_teardown`` (4.2 to 6.x) calls
``call_command("flush", database=alias, interactive=False, verbosity=0,
reset_sequences=False, allow_cascade=<available_apps set>,
inhibit_post_migrate=<available_apps set, or serialized_rollback with
serialized contents>)`` for each of the test's databases. That command lists
the existing tables of the installed, managed models the routers allow
(``introspection.django_table_names``), empties every one of them
(PostgreSQL: one ``TRUNCATE``; SQLite, MariaDB/MySQL: a ``DELETE`` per
table) and then sends ``post_migrate`` unless inhibited.

``FastFlush`` stands in for that one call (``django_compat.replace_flush_call``),
keeps the arguments Django computed, and does the same with one difference:
it empties only the tables one query found non-empty. Why the next test sees
what it would see after Django's flush:

* the table list comes from Django's own function; the statements from the
  backend's own ``ops.sql_flush`` (``reset_sequences=False``, as Django
  passes), run in one transaction by ``ops.execute_sql_flush``;
* an empty table is empty either way, and neither ``DELETE`` nor a
  ``TRUNCATE`` without ``RESTART IDENTITY`` moves a sequence, so skipping it
  changes nothing the next test can see;
* ``post_migrate`` is sent exactly when Django sends it (the list is not
  empty and Django did not inhibit it); the tables its handlers fill held
  rows, so they were emptied as Django empties them, and the rows come back
  with the ids the same sequences give;
* PostgreSQL's ``TRUNCATE`` of a subset must name the tables referencing it:
  the subset is truncated with ``CASCADE``, which can reach only tables
  Django truncates as well (with ``allow_cascade`` the referencing closure,
  as PostgreSQL's and Django's SQLite cascade compute it, is probed too).

It gives the call back to Django's ``flush`` (and counts why, for the run's
closing line) when exactness cannot be shown:

* a trigger the flush could fire (PostgreSQL: an ``ON TRUNCATE`` trigger;
  SQLite: any trigger; MariaDB/MySQL: an ``ON DELETE`` trigger): Django fires
  it on tables this would skip, or in an order this would change;
* PostgreSQL without ``allow_cascade``: a table outside Django's list has a
  foreign key into it (Django's ``TRUNCATE`` fails there; a subset with
  ``CASCADE`` would not), or with it, a referencing table outside the
  schemas on the search path;
* a project app overrides the ``flush`` command, or the call carries options
  ``TransactionTestCase`` does not pass (e.g. ``reset_sequences=True``);
* the fast statements failed (rolled back): Django's flush then runs, and
  fails or succeeds as it would have.

The probe runs on every flush, so a test that adds a trigger or a foreign
key, or drops a table, is seen by the next flush. Other connections'
uncommitted rows are not seen by the probe (Django's ``TRUNCATE`` would wait
for them): a test that leaves another connection mid-transaction is beyond
both.
"""

from collections import Counter
from importlib import import_module

from nose_speedup.compat import django_compat

FLUSH = "flush"
# The options TransactionTestCase passes, and the values this handles.
TEST_CASE_OPTIONS = frozenset(
    {"verbosity", "interactive", "database", "reset_sequences", "allow_cascade",
     "inhibit_post_migrate"}
)
# Compound SELECTs stay below SQLite's default limit of 500 terms.
BRANCHES_PER_QUERY = 400

# Why a flush went to Django's command.
OVERRIDDEN = "an app overrides the flush command"
OTHER_OPTIONS = "called with options TransactionTestCase does not pass"
TRIGGER = "a trigger the flush could fire"
OUTSIDE_REFERENCE = "a table outside Django's flush list references one in it"
OTHER_SCHEMA = "a table in a schema off the search path references a flushed one"
FAILED = "the fast statements failed"

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
            closure.update(dict.fromkeys(django_compat.sqlite_references(self.connection, table)))
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


class FastFlush:
    """Stands in for ``call_command`` in Django's ``TransactionTestCase``
    teardown while installed; counts what it did for the closing line."""

    def __init__(self):
        self.django_call = None
        self.imported_apps = set()
        self.flushes = 0
        self.listed = 0
        self.emptied = 0
        self.fallbacks = Counter()

    def install(self):
        self.django_call = django_compat.replace_flush_call(self)

    def uninstall(self):
        if self.django_call is not None:
            django_compat.restore_flush_call(self.django_call)
            self.django_call = None

    def __call__(self, command_name, *args, **options):
        if command_name != FLUSH:
            return self.django_call(command_name, *args, **options)
        reason = self._refusal(args, options)
        if reason is None:
            try:
                return self.flush(**options)
            except Fallback as fallback:
                reason = str(fallback)
        self.fallbacks[(reason, options.get("database"))] += 1
        return self.django_call(command_name, *args, **options)

    def _refusal(self, args, options):
        from django.core.management import get_commands

        if get_commands().get(FLUSH) != "django.core":
            return OVERRIDDEN
        if args or set(options) - TEST_CASE_OPTIONS or options.get("interactive", True) \
                or options.get("reset_sequences", True) or "database" not in options:
            return OTHER_OPTIONS
        from django.db import connections

        vendor = connections[options["database"]].vendor
        return None if vendor in PROBES else f"no fast flush for {vendor} databases"

    def _import_management_modules(self):
        """What the flush command does first, so that apps' management
        modules have registered their post_migrate handlers (once per app:
        an imported module stays imported)."""
        from django.apps import apps

        for app_config in apps.get_app_configs():
            if app_config.name not in self.imported_apps:
                try:
                    import_module(".management", app_config.name)
                except ImportError:
                    pass
                self.imported_apps.add(app_config.name)

    def flush(self, database, allow_cascade=False, inhibit_post_migrate=False, verbosity=1,
              **_):
        from django.core.management.sql import emit_post_migrate_signal
        from django.db import connections

        connection = connections[database]
        self._import_management_modules()
        probe = PROBES[connection.vendor](connection)
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        flushed = probe.cascade_closure(tables) if tables and allow_cascade else tables
        non_empty = probe.non_empty(flushed, allow_cascade) if flushed else []
        if non_empty:
            try:
                connection.ops.execute_sql_flush(probe.flush_sql(non_empty))
            except Exception as error:  # rolled back; Django's flush decides the outcome
                raise Fallback(f"{FAILED} ({type(error).__name__}: {error})".strip()) from error
        self.flushes += 1
        self.listed += len(flushed)
        self.emptied += len(non_empty)
        if tables and not inhibit_post_migrate:
            emit_post_migrate_signal(verbosity, False, database)

    def summary(self):
        """The closing line: what was flushed, and each reason Django's flush ran."""
        line = (
            f"fast-flush: {self.flushes} TransactionTestCase flushes emptied "
            f"{self.emptied} non-empty tables (Django's flush empties {self.listed})"
        )
        if self.fallbacks:
            reasons = "; ".join(
                f"{count}x on '{alias}': {reason}"
                for (reason, alias), count in sorted(self.fallbacks.items(), key=str)
            )
            line += f"; Django's flush ran instead {sum(self.fallbacks.values())} times: {reasons}"
        return line
