"""Django's private ``TestCase`` class machinery, for fixture bundling.

Fixture bundling does what ``TestCase.setUpClass`` does in two steps instead
of one, so it needs the hooks Django uses there (``django/test/testcases.py``):
the class-level atomic blocks (``_enter_atomics``/``_rollback_atomics``, kept
in ``cls_atomics``), the database names (``_databases_names``), the class
settings overrides (``_overridden_settings``/``_modified_settings``),
``TestData``, and the connection's stack of atomic blocks to unwind a bundle
after an interrupted run.

Django moves its private hooks between releases, so nothing outside
``nose_speedup.compat`` touches them. Each function names the Django versions
it serves (4.2, 5.2 and 6.x are supported).
"""

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


def set_up_test_data(test_class):
    """Run ``setUpTestData`` and wrap what it assigned in ``TestData``, so each
    test gets its own deep copy, exactly as ``TestCase.setUpClass`` does
    (``django.test.testcases.TestData``, undocumented, 4.2-6.x)."""
    pre_attrs = test_class.__dict__.copy()
    test_class.setUpTestData()
    for name, value in test_class.__dict__.items():
        if value is not pre_attrs.get(name):
            setattr(test_class, name, TestData(name, value))


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
