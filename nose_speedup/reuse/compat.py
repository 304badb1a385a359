"""Every private Django API the reuse machinery touches, in one place.

Checked against Django 4.2, 5.2 and 6.1. The public alternatives do not exist:
Django has no public call to create an empty test database without migrating
it, to name a test database before creating it, or to open a connection to a
server without naming a database.
"""

import inspect
import weakref
from functools import cache


def test_db_name(connection):
    """The name Django gives the test database of ``connection``."""
    return connection.creation._get_test_db_name()


def create_empty_test_db(connection, verbosity):
    """Drop the test database if it exists and create it empty."""
    connection.creation._create_test_db(verbosity, autoclobber=True, keepdb=False)


@cache
def _create_test_db_takes_serialize():
    # Django 6.0 deprecated the argument (None means "not given").
    from django.db.backends.base.creation import BaseDatabaseCreation

    default = inspect.signature(BaseDatabaseCreation.create_test_db).parameters["serialize"]
    return default.default is not None


def migrate_test_db(connection, verbosity):
    """Migrate the existing, empty test database the way Django builds one
    (``migrate --run-syncdb``, ``createcachetable``), without serializing."""
    extra = {"serialize": False} if _create_test_db_takes_serialize() else {}
    creation = connection.creation
    log = creation.log

    def log_but_keepdb(message):
        # keepdb=True only skips the creation done just before: Django's "Using
        # existing test database" (verbosity >= 1, Django 4.2-6.1) would
        # contradict the "Creating"/"Rebuilding" line already printed.
        if not message.startswith("Using existing test database"):
            log(message)

    creation.log = log_but_keepdb
    try:
        creation.create_test_db(verbosity=verbosity, autoclobber=True, keepdb=True, **extra)
    finally:
        del creation.log


def nodb_cursor(connection):
    """A cursor on the server that names no database (PostgreSQL: the
    ``postgres`` database), to create and drop databases."""
    return connection._nodb_cursor()


def connection_to(connection, name):
    """A new connection like ``connection`` to the database ``name`` (to read
    a pristine copy); the caller closes it. ``copy()`` is undocumented."""
    other = connection.copy()
    other.settings_dict["NAME"] = name
    return other


def post_migrate_receivers():
    """The functions connected to ``post_migrate``. ``Signal.receivers``
    holds ``(key, receiver)`` on Django 4.2 and ``(key, receiver, is_async)``
    from 5.0; a receiver is a weak reference unless ``weak=False``."""
    from django.db.models.signals import post_migrate

    found = []
    for entry in post_migrate.receivers:
        receiver = entry[1]
        if isinstance(receiver, weakref.ref):  # also WeakMethod
            receiver = receiver()
        if receiver is not None:
            found.append(receiver)
    return found


def close_connections(connection):
    """Close the connection and, Django 5.1+, its PostgreSQL pool, so that the
    database can be dropped or used as a template."""
    connection.close()
    close_pool = getattr(connection, "close_pool", None)
    if close_pool is not None:
        close_pool()


def serialize(connection):
    """What ``serialized_rollback`` restores: Django's serialization of the
    test database, stored where ``TransactionTestCase`` reads it."""
    connection._test_serialized_contents = connection.creation.serialize_db_to_string()
