"""Django's private flush machinery, for fast flush: where
``TransactionTestCase._fixture_teardown`` looks up the ``flush`` command it
calls, and the SQLite backend's graph of tables a cascading flush empties.
Each function names the Django versions it serves (4.2, 5.2 and 6.x are
supported).
"""


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


def post_migrate_receivers():
    """``[(receiver, sender_key)]`` of the live ``post_migrate`` receivers:
    ``Signal.receivers`` holds ``(lookup_key, receiver_or_weakref)`` in 4.2
    and ``(lookup_key, receiver_or_weakref, is_async)`` in 5.0 to 6.x."""
    import weakref

    from django.db.models.signals import post_migrate

    found = []
    for entry in post_migrate.receivers:
        receiver = entry[1]
        if isinstance(receiver, weakref.ReferenceType):
            receiver = receiver()
        if receiver is not None:
            found.append((receiver, entry[0][1]))
    return found


def handlers_idle_without_a_plan():
    """Django's own ``post_migrate`` handlers that do nothing when the signal
    comes without a migration plan, as a flush sends it: 6.1's
    ``rename_permissions_after_model_rename`` (auth) reads the renames from
    ``plan`` and returns before any query when there is none. 4.2 to 6.0
    connect none."""
    from django.contrib.auth import management

    handler = getattr(management, "rename_permissions_after_model_rename", None)
    return [handler] if handler is not None else []


def content_type_cache_keys(using):
    """The ``(app_label, model)`` keys ``ContentType.objects`` caches for
    ``using`` (``ContentTypeManager._cache``, 1.x to 6.x), and whether it
    caches any for another database."""
    from django.contrib.contenttypes.models import ContentType

    cache = ContentType.objects._cache
    keys = {key for key in cache.get(using, {}) if isinstance(key, tuple)}
    return keys, any(alias != using and entries for alias, entries in cache.items())
