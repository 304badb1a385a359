"""Per-vendor work on kept test databases, as objects: one class per vendor
over the shared flow in ``base`` (see its docstring for the interface),
picked from ``connection.vendor`` here and nowhere else.

``for_connection(connection)`` returns the backend of a connection that
points at a test database, or ``None`` for a vendor whose test databases
cannot be kept.
"""

from nose_speedup.reuse.backends.base import Backend, NotOurs, RestoreImpossible
from nose_speedup.reuse.backends.mysql import MySQLBackend
from nose_speedup.reuse.backends.postgresql import PostgreSQLBackend
from nose_speedup.reuse.backends.sqlite import SQLiteBackend

__all__ = ["Backend", "NotOurs", "RestoreImpossible", "for_connection"]

BACKENDS = (PostgreSQLBackend, MySQLBackend, SQLiteBackend)


def for_connection(connection):
    for backend in BACKENDS:
        if backend.vendor == connection.vendor:
            return backend(connection)
    return None
