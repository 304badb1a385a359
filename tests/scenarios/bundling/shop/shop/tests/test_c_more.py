import os
import unittest

from shop.models import Customer, Order, Region
from shop.tests import CUSTOMERS, CUSTOMERS_ORDERS, VIP, Base


class CustomerNamesTests(Base):
    fixtures = CUSTOMERS

    def test_fixture_names(self):
        self.assertTrue(Customer.objects.filter(name="grace").exists())
        self.assertFalse(Customer.objects.filter(name__in=["extra", "temporary"]).exists())

    def test_fails_too(self):
        self.assertEqual(Customer.objects.filter(name="ada").count(), 2)


class OrderCountTests(Base):
    fixtures = CUSTOMERS_ORDERS

    def test_count(self):
        self.assertEqual(Order.objects.count(), 2)
        Order.objects.create(customer_id=3, total=1)
        self.assertEqual(Order.objects.count(), 3)

    def test_errors_too(self):
        Order.objects.get(total=1)


class VipLastTests(Base):
    fixtures = VIP

    def test_vip_guest_was_rolled_back(self):
        self.assertEqual(Customer.objects.count(), 1)


@unittest.skip("skipped at the end of its bundle")
class VipSkippedLastTests(Base):
    fixtures = VIP

    def test_never_runs(self):
        raise AssertionError("a skipped class ran")


class MultiDatabaseBrokenFirstTests(Base):
    databases = {"default", "other"}
    fixtures = CUSTOMERS

    @classmethod
    def setUpTestData(cls):
        Customer.objects.using("other").create(name="half-made")
        raise RuntimeError("setUpTestData failed on purpose")

    def test_never_runs(self):
        raise AssertionError("a class whose setUpClass failed ran")


class MultiDatabaseTests(Base):
    databases = {"default", "other"}
    fixtures = CUSTOMERS

    def test_fixtures_are_in_both_databases(self):
        self.assertEqual(Customer.objects.count(), 3)
        self.assertEqual(Customer.objects.using("other").count(), 3)
        Customer.objects.using("other").create(name="other only")


class MultiDatabaseMoreTests(Base):
    databases = {"default", "other"}
    fixtures = CUSTOMERS

    def test_may_be_interrupted(self):
        # NSP_INTERRUPT=1: Ctrl-C in the middle of a bundle, with rows written.
        if os.environ.get("NSP_INTERRUPT"):
            Customer.objects.create(name="interrupted")
            Customer.objects.using("other").create(name="interrupted")
            raise KeyboardInterrupt

    def test_nothing_leaked_between_classes(self):
        self.assertEqual(Customer.objects.using("other").count(), 3)
        self.assertFalse(Customer.objects.using("other").filter(name="half-made").exists())


class SerializedRollbackTests(Base):
    fixtures = CUSTOMERS_ORDERS
    serialized_rollback = True

    def test_sees_fixtures_and_migration_data(self):
        self.assertEqual(Order.objects.count(), 2)
        self.assertEqual(Region.objects.count(), 2)


class WhenSetUpTestDataFailsLastTests(Base):
    fixtures = CUSTOMERS_ORDERS

    @classmethod
    def setUpTestData(cls):
        Customer.objects.create(name="half-made")
        raise RuntimeError("setUpTestData failed on purpose")

    def test_never_runs(self):
        raise AssertionError("a class whose setUpClass failed ran")
