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
