"""Per-vendor work on kept test databases, as objects: one class per vendor
over the shared flow in ``base`` (see its docstring for the interface),
picked from ``connection.vendor`` here and nowhere else.

``for_connection(connection)`` returns the backend of a connection that
points at a test database, or ``None`` for a vendor whose test databases
cannot be kept.
"""

import importlib

from nose_speedup.reuse.backends.base import (
    Backend,
    NotOurs,
    RestoreImpossible,
    TablesNotRestorable,
)

__all__ = ["Backend", "NotOurs", "RestoreImpossible", "TablesNotRestorable", "for_connection"]

# connection.vendor -> (module, class). A module is imported only for the
# vendor a run uses: a warm start is measured against a bare django.setup().
BACKENDS = {
    "postgresql": ("postgresql", "PostgreSQLBackend"),
    "mysql": ("mysql", "MySQLBackend"),
    "sqlite": ("sqlite", "SQLiteBackend"),
}


def for_connection(connection):
    found = BACKENDS.get(connection.vendor)
    if found is None:
        return None
    module_name, class_name = found
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, class_name)(connection)
