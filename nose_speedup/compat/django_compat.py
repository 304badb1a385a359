"""Every private name of Django that nose-speedup uses, in one place.

Django moves its private hooks between releases, so nothing else in
nose-speedup touches them: a new Django release means reading this module
against Django's source and nothing more. Each function names the Django
versions it serves (4.2, 5.2 and 6.x are supported); where Django has a
public way it is used instead.

``TestCase`` machinery (``django/test/testcases.py``): fixture bundling does
what ``TestCase.setUpClass`` does in two steps instead of one, so it needs
the hooks Django uses there: the class-level atomic blocks
(``_enter_atomics``/``_rollback_atomics``, kept in ``cls_atomics``), the
database names (``_databases_names``), the class settings overrides
(``_overridden_settings``/``_modified_settings``) and ``TestData``.

Test databases (``django/db/backends/base/creation.py``): Django has no
public call to name a test database before creating it
(``_get_test_db_name``), to create one empty without migrating it
(``_create_test_db``), to reach a server without naming a database
(``connection._nodb_cursor``), to copy a connection (``connection.copy``),
or to hand a serialized database to ``serialized_rollback``
(``connection._test_serialized_contents``).
"""

import inspect
import weakref
from functools import cache

from django.core.management import BaseCommand, call_command, get_commands, load_command_class
from django.core.management.color import no_style
from django.db import connections, transaction
from django.test.testcases import TestData



def database_aliases(test_class):
    """The aliases ``test_class.databases`` names, before or after Django's
    ``setUpClass`` has turned ``"__all__"`` into a frozenset."""
    if test_class.databases == "__all__":
        return frozenset(connections)
    return frozenset(test_class.databases)


def missing_transaction_support(test_class):
    """What keeps ``test_class`` from sharing a transaction with others, as
    phrases like ``"'legacy' has no savepoints"``; empty when nothing does.

    A copy of Django 5.2's ``TestCase._databases_support_transactions`` and
    ``_databases_support_savepoints`` (``connections_support_transactions``
    over the class's aliases), made to say which alias lacks what, so the
    run can tell why a class was not bundled; 4.2 has only the first check,
    6.x both as in 5.2."""
    reasons = []
    for alias in sorted(database_aliases(test_class)):
        features = connections[alias].features
        if not features.supports_transactions:
            reasons.append(f"database '{alias}' has no transactions")
        elif not features.uses_savepoints:
            reasons.append(f"database '{alias}' has no savepoints")
    return reasons


def database_names(test_class, include_mirrors=True):
    """Django's ``_databases_names`` (4.2-6.x): atomics cover mirrors,
    loaddata skips them (a mirror shares its primary's data)."""
    return test_class._databases_names(include_mirrors=include_mirrors)


def enter_atomics(test_class):
    """Open one atomic block per database of ``test_class``, marked as a
    test case's (so ``atomic(durable=True)`` in code under test still works):
    a transaction when none is open, a savepoint inside a bundle's.
    ``TestCase._enter_atomics``, a classmethod in 4.2-6.x."""
    return test_class._enter_atomics()


def rollback_atomics(test_class, atomics):
    """Roll back the blocks ``enter_atomics`` opened, innermost database last
    opened first, as Django's ``TestCase.tearDownClass`` does
    (``TestCase._rollback_atomics``, 4.2-6.x)."""
    test_class._rollback_atomics(atomics)


def enter_class_atomics(test_class):
    """``enter_atomics`` for the class's own blocks, kept where Django's
    ``TestCase.setUpClass`` keeps them (``cls_atomics``, 4.2-6.x)."""
    test_class.cls_atomics = enter_atomics(test_class)


def rollback_class_atomics(test_class):
    """Roll back the blocks ``enter_class_atomics`` opened."""
    rollback_atomics(test_class, test_class.cls_atomics)


def class_settings(test_class):
    """What the class-level ``@override_settings`` and ``@modify_settings``
    of ``test_class`` (and its parents) change while its ``setUpClass``
    runs: Django keeps them in ``_overridden_settings`` (a dict) and
    ``_modified_settings`` (a list of operations) on the class, 4.2 to 6.x."""
    return (test_class._overridden_settings or {}, test_class._modified_settings or [])


def load_fixtures(test_class):
    """``loaddata`` of ``test_class.fixtures`` on each non-mirror database,
    with the arguments ``TestCase.setUpClass`` uses. Return ``({alias:
    models}, rows)``: the models whose sequences ``loaddata`` reset after
    loading (its ``models``, kept on the command object since Django 1.x) and
    the rows it loaded (its ``loaded_object_count``)."""
    loaded, rows = {}, 0
    for db_name in database_names(test_class, include_mirrors=False):
        # The loaddata command call_command("loaddata") would run (an app
        # may override it), kept to read which models it loaded.
        app_name = get_commands()["loaddata"]
        command = (
            app_name if isinstance(app_name, BaseCommand)
            else load_command_class(app_name, "loaddata")
        )
        call_command(command, *test_class.fixtures, verbosity=0, database=db_name)
        loaded[db_name] = set(getattr(command, "models", ()))
        rows += getattr(command, "loaded_object_count", 0) or 0
    return loaded, rows


def reset_sequences(loaded_models):
    """Reset the sequences ``loaddata`` reset after loading ``loaded_models``
    (``{alias: models}``), as its ``reset_sequences`` does: PostgreSQL gets
    one ``setval`` per model, SQLite and MySQL/MariaDB none (their backends
    return no SQL; SQLite's rowids follow max(pk) by themselves)."""
    for alias, models in loaded_models.items():
        if not models:
            continue
        connection = connections[alias]
        statements = connection.ops.sequence_reset_sql(no_style(), list(models))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


def atomics_alive(atomics):
    """Whether every block ``enter_atomics`` opened is still open on a live
    connection: a test that called ``connection.close()`` (or
    ``close_old_connections()``) inside it leaves Django's
    ``closed_in_transaction`` set and the transaction gone
    (``atomic_blocks`` and ``closed_in_transaction``, undocumented, 4.2-6.x)."""
    for alias, atomic in atomics.items():
        connection = connections[alias]
        if (
            atomic not in connection.atomic_blocks
            or connection.closed_in_transaction
            or connection.connection is None
        ):
            return False
    return True


def set_up_test_data(test_class):
    """Run ``setUpTestData`` and wrap what it assigned in ``TestData``, so each
    test gets its own deep copy, exactly as ``TestCase.setUpClass`` does
    (``django.test.testcases.TestData``, undocumented, 4.2-6.x)."""
    pre_attrs = test_class.__dict__.copy()
    test_class.setUpTestData()
    for name, value in test_class.__dict__.items():
        if value is not pre_attrs.get(name):
            setattr(test_class, name, TestData(name, value))


def roll_back_through(alias, atomic):
    """Roll back every atomic block open on ``alias`` down to ``atomic``,
    inclusive. After a KeyboardInterrupt or a failfast stop a test's and a
    class's blocks may still be open above a bundle's; Django's atomic blocks
    exit in stack order whatever object is asked, so unwind the stack itself
    (``connection.atomic_blocks``, 4.2-6.x)."""
    connection = connections[alias]
    while atomic in connection.atomic_blocks:
        transaction.set_rollback(True, using=alias)
        connection.atomic_blocks[-1].__exit__(None, None, None)


def close_class_connections():
    """What ``TestCase.tearDownClass`` does once its class's atomics are rolled
    back: close every open connection, so the next class gets fresh ones
    (``connections.all(initialized_only=True)``, 4.2-6.x)."""
    for connection in connections.all(initialized_only=True):
        connection.close()


# Test databases.


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
    a pristine copy); the caller closes it. ``connection.copy()`` is
    undocumented (4.2-6.x)."""
    other = connection.copy()
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
def replace_flush_call(replacement):
    """Make ``TransactionTestCase._fixture_teardown`` call ``replacement``
    where it calls ``call_command``: 4.2 to 6.x look the name up in
    ``django.test.testcases`` (Django's own tests mock it there). Return
    what was there, for ``restore_flush_call``."""
    from django.test import testcases

    original = testcases.call_command
    testcases.call_command = replacement
    return original


def restore_flush_call(original):
    from django.test import testcases

    testcases.call_command = original


def sqlite_references(connection, table):
    """The tables Django's SQLite flush with ``allow_cascade`` empties for
    ``table`` (itself included): ``_references_graph``, 3.1 to 6.x."""
    return connection.ops._references_graph(table)
