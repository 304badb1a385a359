"""What a run keeps of each test database it reuses: ``KeptDatabase`` (its
connection, names, backend, marker, lock, and why it is dirty once a test
may have committed to it) and ``ReusedDatabases``, the run's set of them,
which the reuse-db plugin hands to Django's hooks as ``old_config`` and
tells of each test that starts (``note_test``)."""

from nose_speedup.compat import django_testdb
from nose_speedup.core import database_guards
from nose_speedup import vendors


class KeptDatabase:
    """One test database of the run, reached through its first alias."""

    def __init__(self, connection, old_name):
        self.connection = connection
        self.old_name = old_name
        self.backend = vendors.for_connection(connection).reuse_backend()
        self.name = django_testdb.test_db_name(connection)
        self.marker = None
        self.dirty_reason = None
        self.lock = None
        # An ``artifacts.loading.ArtifactSource`` to load it from instead of
        # building it, or None.
        self.artifact = None
        # The ``nose_speedup.timing.recorder.Recorder`` its phases go to.
        self.recorder = None

    def identity(self):
        """The server and name, or the SQLite file: what the lock is keyed by."""
        return database_guards.database_identity(self.connection, self.name)


class ReusedDatabases:
    """The run's kept databases: the ``old_config`` of the plugin's hooks."""

    def __init__(self):
        self.kept = []
        self.by_alias = {}

    def note_test(self, test):
        """Mark the databases a test may commit to (a ``TransactionTestCase``,
        or a ``TestCase`` on a database without transactions) as dirty."""
        from django.db import connections
        from django.test import TestCase, TransactionTestCase

        if not isinstance(test, TransactionTestCase):
            return  # plain unittest: the signature check at the end sees its rows
        databases = test.databases
        aliases = list(connections) if databases == "__all__" else databases
        for alias in aliases:
            database = self.by_alias.get(alias)
            if database is None or database.dirty_reason is not None:
                continue
            if isinstance(test, TestCase) and connections[alias].features.supports_transactions:
                continue
            kind = "TransactionTestCase"
            if isinstance(test, TestCase):
                kind = "TestCase on a database without transactions"
            cls = type(test)
            database.dirty_reason = f"a {kind} ran: {cls.__module__}.{cls.__qualname__}"
