"""One database connection per run: keep a connection open after a
``TestCase`` class when nothing the class did can survive on it.

Django's ``TestCase.tearDownClass`` rolls the class's transaction back and
closes every connection, so each class pays a reconnect (on PostgreSQL: a
TCP connection, authentication, a backend process, Django's set-up). While
installed, the keeper wraps that ``tearDownClass`` and judges each close it
makes: the connection stays open only when all of these hold, else it is
closed exactly as Django does:

* it is a PostgreSQL connection opened during the run (its state was
  recorded right after Django set it up: ``connection_created``);
* no atomic block, savepoint or server-side transaction is open, autocommit
  is on, nothing is marked for rollback;
* its ``settings_dict`` and the driver's session attributes (isolation
  level, read-only, deferrable, autocommit, prepare threshold) equal the
  recorded ones;
* the server says the session is as recorded: the same session-level
  settings (``SET``/``set_config``/``SET ROLE``, from ``pg_settings`` and the
  current and session users), and no advisory lock, SQL prepared statement,
  ``LISTEN`` channel, open cursor or temporary table. One query, not logged
  in ``connection.queries``.

SQLite (Django already keeps in-memory test databases open) and MySQL/MariaDB
(session variables cannot be listed cheaply) connections are closed as Django
does. What stays the same on a kept connection that a new one would reset:
sequence ``currval``/``lastval`` (as between the tests of one class under
Django). ``FastFixtureTestCase`` bundles close their connections themselves,
once per bundle, as before.
"""

import collections
import copy

# The server-side session state a class might leave behind on PostgreSQL.
POSTGRESQL_SESSION_STATE = """
SELECT
  (SELECT coalesce(string_agg(name || '=' || setting, ',' ORDER BY name), '')
     FROM pg_settings WHERE source IN ('session', 'client')),
  current_user, session_user,
  (SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory'),
  (SELECT count(*) FROM pg_prepared_statements WHERE from_sql),
  (SELECT count(*) FROM pg_listening_channels()),
  (SELECT count(*) FROM pg_cursors),
  (SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema())
"""
# Session attributes of the psycopg (3) and psycopg2 connection objects.
DRIVER_ATTRIBUTES = (
    "isolation_level", "read_only", "readonly", "deferrable", "autocommit",
    "prepare_threshold", "prepared_max",
)
IDLE = 0  # psycopg's and psycopg2's TransactionStatus.IDLE / TRANSACTION_STATUS_IDLE
DISPATCH_UID = "nose_speedup.speedups.kept_connections"


def _driver_state(driver_connection):
    return tuple(getattr(driver_connection, name, None) for name in DRIVER_ATTRIBUTES)


def _server_state(driver_connection):
    """The session state query's row; run on the driver's own cursor so it
    never appears in ``connection.queries`` or ``assertNumQueries``."""
    with driver_connection.cursor() as cursor:
        cursor.execute(POSTGRESQL_SESSION_STATE)
        return tuple(cursor.fetchone())


class Recorded:
    """What a connection looked like right after Django set it up."""

    def __init__(self, connection):
        self.driver_connection = connection.connection
        self.settings_dict = copy.deepcopy(connection.settings_dict)
        self.driver_state = _driver_state(connection.connection)
        self.server_state = _server_state(connection.connection)


class ConnectionKeeper:
    def __init__(self):
        self.recorded = {}
        self.opened = 0
        self.kept = 0
        self.closed = collections.Counter()  # reason -> closes
        self.original_tear_down_class = None

    def install(self):
        """Record connections from now on and judge ``TestCase.tearDownClass``'s
        closes, until ``uninstall``."""
        from django.db.backends.signals import connection_created
        from django.test import TestCase

        connection_created.connect(self.connection_created, weak=False, dispatch_uid=DISPATCH_UID)
        # Django's TestCase.tearDownClass (4.2 to 6.0) rolls back the class's
        # atomics, then closes every initialized connection. Subclasses reach
        # it through super(), so replacing the attribute on TestCase covers them.
        self.original_tear_down_class = TestCase.__dict__["tearDownClass"]
        original = self.original_tear_down_class.__func__
        keeper = self

        def tearDownClass(cls):
            keeper.tear_down_class(original, cls)

        TestCase.tearDownClass = classmethod(tearDownClass)

    def uninstall(self):
        from django.db.backends.signals import connection_created
        from django.test import TestCase

        connection_created.disconnect(dispatch_uid=DISPATCH_UID)
        if self.original_tear_down_class is not None:
            TestCase.tearDownClass = self.original_tear_down_class
            self.original_tear_down_class = None

    def connection_created(self, sender, connection, **kwargs):
        self.opened += 1
        self.recorded.pop(connection.alias, None)
        if connection.vendor == "postgresql" and connection.connection.autocommit:
            try:
                self.recorded[connection.alias] = Recorded(connection)
            except Exception:  # an unusual server: the connection is just not kept
                pass

    def tear_down_class(self, original, test_class):
        from django.db import connections

        patched = list(connections.all(initialized_only=True))
        for connection in patched:
            connection.close = self._judging_close(connection)
        try:
            original(test_class)
        finally:
            for connection in patched:
                connection.__dict__.pop("close", None)

    def _judging_close(self, connection):
        def close():
            if connection.connection is None:
                return type(connection).close(connection)
            reason = self.reason_to_close(connection)
            if reason is None:
                self.kept += 1
                return None
            self.closed[reason] += 1
            return type(connection).close(connection)

        return close

    def reason_to_close(self, connection):
        """Why ``connection`` must be closed as Django does; ``None`` when
        keeping it open cannot change what the next class sees."""
        if connection.vendor != "postgresql":
            return f"{connection.vendor}: closed as Django does"
        recorded = self.recorded.get(connection.alias)
        if recorded is None or recorded.driver_connection is not connection.connection:
            return "opened before the run"
        if (
            connection.in_atomic_block or connection.savepoint_ids or connection.needs_rollback
            or connection.closed_in_transaction or not connection.autocommit
        ):
            return "transaction state left open"
        if connection.settings_dict != recorded.settings_dict:
            return "settings_dict changed"
        if _driver_state(connection.connection) != recorded.driver_state:
            return "driver session attributes changed"
        try:
            if connection.connection.info.transaction_status != IDLE:
                return "server transaction open"
            if _server_state(connection.connection) != recorded.server_state:
                return "session state changed (SET, lock, cursor, temporary table...)"
        except Exception:
            return "not usable"
        return None

    def summary(self):
        """The end-of-run line."""
        line = (
            f"keep-connections: {self.opened} connection(s) opened; "
            f"kept open after a class {self.kept} time(s), closed {sum(self.closed.values())}"
        )
        if self.closed:
            reasons = (f"{n}x {reason}" for reason, n in sorted(self.closed.items()))
            line += f" ({'; '.join(reasons)})"
        return line
