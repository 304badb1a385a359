"""The private names of ``unittest`` (and Django) a parallel run needs, in one place.

* ``unittest.suite._ErrorHolder``: the stand-in unittest reports a failed
  ``setUpClass``/``setUpModule`` on (Python 3.10-3.13);
* ``unittest.case._SubTest``: a subtest, rebuilt in the main process around
  the main process's test (3.10-3.13);
* ``connection._test_serialized_contents``: the serialized database Django's
  ``serialized_rollback`` restores; Django's own parallel runner hands it to
  its workers the same way (Django 4.2-6.x).
"""

import unittest


def error_holder(description):
    return unittest.suite._ErrorHolder(description)


def subtest_description(subtest):
    """What identifies a subtest: its message and its parameters, as text."""
    return subtest._subDescription()


class _Params(dict):
    pass


def make_subtest(test, description):
    """A subtest of ``test`` whose description is ``description``."""
    subtest = unittest.case._SubTest(test, unittest.case._subtest_msg_sentinel, _Params())
    subtest._subDescription = lambda: description
    return subtest


def serialized_contents(connection):
    return getattr(connection, "_test_serialized_contents", None)


def set_serialized_contents(connection, contents):
    connection._test_serialized_contents = contents
