"""Pieces the fixture-bundling scenario projects share (importable as
``tests.scenarios.bundling.support`` because the repository root is on the
scenario's PYTHONPATH):

* ``engines``: the database engine ``NOSE_SPEEDUP_TEST_DB`` selects,
  wrapped to report what is left in a test database before it is destroyed
  (``leftovers``), or to claim it has no transactions (``no_transactions``);
* ``loadcount``: an app whose ``loaddata`` command logs each call.
"""
