"""The last class of a bundle raises an error in its setUpClass, before
super(): it never gets to tear its bundle down."""

from exact.models import Customer
from exact.tests import CUSTOMERS, Base, classes_after_a_bundle


class A_FirstTests(Base):
    fixtures = CUSTOMERS

    def test_fixture_rows(self):
        self.assertEqual(Customer.objects.count(), 3)


class B_LastFailsBeforeSuperTests(Base):
    fixtures = CUSTOMERS

    @classmethod
    def setUpClass(cls):
        raise RuntimeError("setUpClass failed before super()")

    def test_never_runs(self):
        raise AssertionError("a skipped class ran")


C_PlainTests, D_NextBundleTests, E_NextBundleTests = classes_after_a_bundle(__name__)
