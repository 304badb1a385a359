"""Per-vendor pristine copies of a test database, picked by connection.

Each vendor module (``postgresql``, ``mysql``, ``sqlite``) provides:

``exists(connection)``                 does the test database exist?
``snapshot(connection)``               copy the freshly built database aside;
``restore(connection, marker)``        make the database its pristine copy again;
``drop(connection)``                   drop the database and its copy (to rebuild);
``signature(connection, tables)``      ``{table: checksum of its rows}``;
``counters(connection)``               ``{name: value}`` of the sequences a
                                       rolled-back insert still advances;
``reset_counters(connection, saved)``  set them back.

``connection`` points at the test database (``settings_dict["NAME"]``).
"""

import importlib

from nose_speedup.reuse import marker


class RestoreImpossible(Exception):
    """The pristine copy cannot make this database pristine: rebuild it."""


VENDOR_MODULES = {"postgresql": "postgresql", "mysql": "mysql", "sqlite": "sqlite"}


def for_connection(connection):
    name = VENDOR_MODULES.get(connection.vendor)
    if name is None:
        return None
    return importlib.import_module(f"nose_speedup.reuse.{name}")


def pristine_name(test_name):
    return f"{test_name}_pristine"


def user_tables(connection):
    """The tables of the database, ours excepted."""
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return [name for name in names if name != marker.TABLE]


def changed_tables(before, after):
    """Tables whose signature differs between two ``signature()`` results."""
    names = before.keys() | after.keys()
    return sorted(name for name in names if before.get(name) != after.get(name))
