"""Fast flush: after a ``TransactionTestCase`` test, empty only the tables
that hold rows, leaving the database as Django's ``flush`` leaves it.

Django's ``TransactionTestCase._fixture_teardown`` (4.2 to 6.x) calls
``call_command("flush", database=alias, interactive=False, verbosity=0,
reset_sequences=False, allow_cascade=<available_apps set>,
inhibit_post_migrate=<available_apps set, or serialized_rollback with
serialized contents>)`` for each of the test's databases. That command lists
the existing tables of the installed, managed models the routers allow
(``introspection.django_table_names``), empties every one of them
(PostgreSQL: one ``TRUNCATE``; SQLite, MariaDB/MySQL: a ``DELETE`` per
table) and then sends ``post_migrate`` unless inhibited.

``FastFlush`` stands in for that one call (``compat.django_flush.replace_flush_call``),
keeps the arguments Django computed, and does the same with two differences:
it empties only the tables one query found non-empty (and, on PostgreSQL,
those under row-level security, whose rows the probe may not all see), and
on PostgreSQL it empties with a ``DELETE`` each table where nothing can tell
that from Django's ``TRUNCATE`` (see ``vendors.postgresql.probe.PostgreSQLProbe``: a
``TRUNCATE`` pays a large fixed cost at commit). Why the next test sees what
it would see after Django's flush:

* the table list comes from Django's own function; the statements from the
  backend's own ``ops.sql_flush`` (``reset_sequences=False``, as Django
  passes) or a ``DELETE``, run in one transaction by ``ops.execute_sql_flush``;
* an empty table is empty either way, and neither ``DELETE`` nor a
  ``TRUNCATE`` without ``RESTART IDENTITY`` moves a sequence, so skipping it
  changes nothing the next test can see (Django passes
  ``reset_sequences=False`` on every backend; ``reset_sequences = True``
  resets them before the next test, after either flush);
* ``post_migrate`` is sent exactly when Django sends it (the list is not
  empty and Django did not inhibit it); the tables its handlers fill held
  rows, so they were emptied as Django empties them, and the rows come back
  with the ids the same sequences give; on PostgreSQL, once two real runs
  of the ``contenttypes`` and ``auth`` handlers wrote the same rows, their
  rows are written again by two statements instead (``replay``: when and
  why that is exact);
* PostgreSQL's ``TRUNCATE`` of a subset must name the tables referencing it:
  the subset is truncated with ``CASCADE``, which can reach only tables
  Django truncates as well (with ``allow_cascade`` the referencing closure,
  as PostgreSQL's and Django's SQLite cascade compute it, is probed too).

It gives the call back to Django's ``flush`` (and counts why, for the run's
closing line) when exactness cannot be shown:

* a trigger the flush could fire (PostgreSQL: an ``ON TRUNCATE`` trigger;
  SQLite: any trigger; MariaDB/MySQL: an ``ON DELETE`` trigger): Django fires
  it on tables this would skip, or in an order this would change;
* PostgreSQL: the test user may not ``TRUNCATE`` a listed table (Django's
  flush fails, even when it is empty), or cannot read one (the probe fails);
* PostgreSQL without ``allow_cascade``: a table outside Django's list has a
  foreign key into it (Django's ``TRUNCATE`` fails there; a subset with
  ``CASCADE`` would not), or with it, a referencing table outside the
  schemas on the search path;
* a project app overrides the ``flush`` command, or the call carries options
  ``TransactionTestCase`` does not pass (e.g. ``reset_sequences=True``);
* the probe or the fast statements failed (read only, or rolled back):
  Django's flush then runs, and fails or succeeds as it would have.

The probe runs on every flush, so a test that adds a trigger or a foreign
key, or drops a table, is seen by the next flush. Other connections'
uncommitted rows are not seen by the probe (Django's ``TRUNCATE`` would wait
for them): a test that leaves another connection mid-transaction is beyond
both.
"""

from nose_speedup.fast_flush.command import FastFlush

__all__ = ["FastFlush"]
