"""Django's private test-database calls: naming, creating, migrating,
serializing and dropping a test database, and reaching its server.

Django has no public call (``django/db/backends/base/creation.py``) to name a
test database before creating it (``_get_test_db_name``), to create one empty
without migrating it (``_create_test_db``), to drop one by name
(``_destroy_test_db``), to reach a server without naming a database
(``connection._nodb_cursor``), to copy a connection (``connection.copy``),
to list ``post_migrate``'s receivers (``Signal.receivers``), or to hand a
serialized database to ``serialized_rollback``
(``connection._test_serialized_contents``). Each function names the Django
versions it serves (4.2, 5.2 and 6.x are supported).
"""

import inspect
import weakref
from functools import cache


def test_db_name(connection):
    """The name Django gives the test database of ``connection``
    (``creation._get_test_db_name``, 4.2-6.x)."""
    return connection.creation._get_test_db_name()


def create_empty_test_db(connection, verbosity):
    """Drop the test database if it exists and create it empty
    (``creation._create_test_db``, 4.2-6.x)."""
    connection.creation._create_test_db(verbosity, autoclobber=True, keepdb=False)


@cache
def _create_test_db_takes_serialize():
    # Django 6.0 deprecated the argument (None means "not given"); 4.2 and
    # 5.2 default it to True.
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


def destroy_test_db_named(connection, name):
    """Drop the test database (or remove the SQLite file) ``name`` without
    reading ``NAME`` from settings (``creation._destroy_test_db``, 4.2-6.x;
    ``destroy_test_db(suffix=...)`` derives the name from ``NAME``)."""
    connection.close()
    connection.creation._destroy_test_db(name, verbosity=0)


def nodb_cursor(connection):
    """A cursor on the server that names no database (PostgreSQL: the
    ``postgres`` database), to create, drop or reach databases
    (``connection._nodb_cursor``, 4.2-6.x)."""
    return connection._nodb_cursor()


def connection_to(connection, name):
    """A new connection like ``connection`` to the database ``name`` (to read
    a pristine copy, to watch locks); the caller closes it.

    Its alias is Django's ``NO_DB_ALIAS``, as that of Django's own side
    connections (``_nodb_cursor``): ``connection_created`` receivers that
    look a connection up by alias (contrib.postgres's type handlers query
    through ``connections[alias]``) would otherwise query the global
    ``default`` connection's database, which may not exist (Django's
    runner dropped it), and they skip ``NO_DB_ALIAS``. ``connection.copy()``
    is undocumented; ``NO_DB_ALIAS`` is in
    ``django.db.backends.base.base`` (4.2-6.x)."""
    from django.db.backends.base.base import NO_DB_ALIAS

    other = connection.copy(NO_DB_ALIAS)
    other.settings_dict["NAME"] = name
    return other


def close_connection_and_pool(connection):
    """Close ``connection`` and, on Django 5.1+, its PostgreSQL pool
    (``close_pool``; 4.2 has none), so that the database can be dropped or
    used as a template."""
    connection.close()
    close_pool = getattr(connection, "close_pool", None)
    if close_pool is not None:
        close_pool()


def post_migrate_receivers():
    """The functions connected to ``post_migrate``. ``Signal.receivers``
    holds ``(key, receiver)`` on Django 4.2 and ``(key, receiver, is_async)``
    from 5.0 (5.2, 6.x); a receiver is a weak reference unless ``weak=False``."""
    from django.db.models.signals import post_migrate

    found = []
    for entry in post_migrate.receivers:
        receiver = entry[1]
        if isinstance(receiver, weakref.ref):  # also WeakMethod
            receiver = receiver()
        if receiver is not None:
            found.append(receiver)
    return found


def serialized_contents(connection):
    """What ``serialized_rollback`` restores on ``connection``, or ``None``:
    Django keeps it in ``connection._test_serialized_contents`` (4.2-6.x)."""
    return getattr(connection, "_test_serialized_contents", None)


def set_serialized_contents(connection, contents):
    """Store ``contents`` where ``TransactionTestCase`` reads it; Django's own
    parallel runner hands it to its workers the same way (4.2-6.x)."""
    connection._test_serialized_contents = contents


def serialize(connection):
    """Serialize the test database for ``serialized_rollback``, as
    ``create_test_db(serialize=True)`` does."""
    set_serialized_contents(connection, connection.creation.serialize_db_to_string())
