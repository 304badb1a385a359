import unittest

from exact.tests import CUSTOMERS, Base


def setUpModule():
    raise unittest.SkipTest("module skipped in setUpModule")


class B_LastInSkippedModuleTests(Base):
    fixtures = CUSTOMERS

    def test_never_runs(self):
        raise AssertionError("a class of a skipped module ran")
