"""Every use of Django's private ``TestCase`` machinery, in one place.

Fixture bundling has to do what ``django.test.TestCase.setUpClass`` does, in
two steps instead of one, so it needs the hooks Django uses there: the
class-level atomic blocks (``_enter_atomics``/``_rollback_atomics``), the
database names (``_databases_names``), the transaction and savepoint checks
and ``TestData``. Django moves these between releases (4.2 has no
``_databases_support_savepoints``; 5.2 made ``_fixture_setup`` and
``_pre_setup`` classmethods), so nothing else in nose-speedup touches them:
a new Django release means reading this module against
``django/test/testcases.py`` and nothing more.
"""

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
    The features are Django 5.2's ``connections_support_transactions`` and
    ``connections_support_savepoints``; 4.2 has only the first, and its
    ``TestCase.setUpClass`` checks only transactions."""
    reasons = []
    for alias in sorted(database_aliases(test_class)):
        features = connections[alias].features
        if not features.supports_transactions:
            reasons.append(f"database '{alias}' has no transactions")
        elif not features.uses_savepoints:
            reasons.append(f"database '{alias}' has no savepoints")
    return reasons


def database_names(test_class, include_mirrors=True):
    """Django's ``_databases_names``: atomics cover mirrors, loaddata
    skips them (a mirror shares its primary's data)."""
    return test_class._databases_names(include_mirrors=include_mirrors)


def enter_atomics(test_class):
    """Open one atomic block per database of ``test_class``, marked as a
    test case's (so ``atomic(durable=True)`` in code under test still works):
    a transaction when none is open, a savepoint inside a bundle's."""
    return test_class._enter_atomics()


def rollback_atomics(test_class, atomics):
    """Roll back the blocks ``enter_atomics`` opened, innermost database last
    opened first, as Django's ``TestCase.tearDownClass`` does."""
    test_class._rollback_atomics(atomics)


def class_settings(test_class):
    """What the class-level ``@override_settings`` and ``@modify_settings``
    of ``test_class`` (and its parents) change while its ``setUpClass``
    runs: Django keeps them in ``_overridden_settings`` (a dict) and
    ``_modified_settings`` (a list of operations) on the class, 4.2 to 6.x."""
    return (test_class._overridden_settings or {}, test_class._modified_settings or [])


def load_fixtures(test_class):
    """``loaddata`` of ``test_class.fixtures`` on each non-mirror database,
    with the arguments ``TestCase.setUpClass`` uses. Return ``{alias: models}``:
    the models whose sequences ``loaddata`` reset after loading (its
    ``models``, kept on the command object since Django 1.x)."""
    loaded = {}
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
    return loaded


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
    ``closed_in_transaction`` set and the transaction gone."""
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
    test gets its own deep copy, exactly as ``TestCase.setUpClass`` does."""
    pre_attrs = test_class.__dict__.copy()
    test_class.setUpTestData()
    for name, value in test_class.__dict__.items():
        if value is not pre_attrs.get(name):
            setattr(test_class, name, TestData(name, value))


def roll_back_through(alias, atomic):
    """Roll back every atomic block open on ``alias`` down to ``atomic``,
    inclusive. After a KeyboardInterrupt or a failfast stop a test's and a
    class's blocks may still be open above a bundle's; Django's atomic blocks
    exit in stack order whatever object is asked, so unwind the stack itself.
    Return whether ``atomic`` was still open."""
    connection = connections[alias]
    was_open = atomic in connection.atomic_blocks
    while atomic in connection.atomic_blocks:
        transaction.set_rollback(True, using=alias)
        connection.atomic_blocks[-1].__exit__(None, None, None)
    return was_open


def close_connections():
    """What ``TestCase.tearDownClass`` does once its class's atomics are rolled
    back: give the next class fresh connections."""
    for connection in connections.all(initialized_only=True):
        connection.close()
