"""The seams: every private name of a foreign library the project uses, one
module per library (Django's split by job, as it is the largest), each branch
commented with the versions it serves.

* Django, by job: ``django_testcase`` (``TestCase``'s class-level atomics,
  settings and ``setUpTestData``), ``django_fixtures`` (``loaddata`` and the
  sequence reset after it), ``django_testdb`` (naming, creating, migrating,
  serializing and dropping test databases, reaching their server) and
  ``django_flush`` (the ``flush`` call of ``TransactionTestCase`` teardown);
* ``unittest_compat``: unittest's private suite machinery;
* ``nose2_compat``: nose2's plugin and hook bookkeeping;
* ``multiprocessing_compat``: spawning workers without re-running the main
  script.

Nothing here imports the rest of the project.
"""
