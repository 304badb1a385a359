"""The last class of a bundle raises SkipTest in its setUpClass, before
super(): it never gets to tear its bundle down."""

import unittest

from exact.models import Customer
from exact.tests import CUSTOMERS, Base, classes_after_a_bundle


class A_FirstTests(Base):
    fixtures = CUSTOMERS

    def test_fixture_rows(self):
        self.assertEqual(Customer.objects.count(), 3)


class B_LastSkipsBeforeSuperTests(Base):
    fixtures = CUSTOMERS

    @classmethod
    def setUpClass(cls):
        raise unittest.SkipTest("skipped before super()")

    def test_never_runs(self):
        raise AssertionError("a skipped class ran")


C_PlainTests, D_NextBundleTests, E_NextBundleTests = classes_after_a_bundle(__name__)
