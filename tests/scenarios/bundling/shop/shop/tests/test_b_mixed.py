from django.test import TestCase, TransactionTestCase

from shop.models import Customer, Order, Region
from shop.tests import CUSTOMERS, VIP, Base


class CustomerSetUpTestDataTests(Base):
    fixtures = CUSTOMERS

    @classmethod
    def setUpTestData(cls):
        cls.extra = Customer.objects.create(name="extra")

    def test_a_changes_class_data_in_memory_only(self):
        self.extra.name = "changed"
        self.assertEqual(Customer.objects.count(), 4)

    def test_b_sees_class_data_unchanged(self):
        self.assertEqual(self.extra.name, "extra")
        self.assertTrue(Customer.objects.filter(name="extra").exists())

    def test_c_sees_class_data_and_fixtures(self):
        self.assertEqual(Customer.objects.count(), 4)


class VipTests(Base):
    fixtures = VIP

    def test_only_the_vip(self):
        self.assertEqual(list(Customer.objects.values_list("name", flat=True)), ["vip"])
        Customer.objects.create(name="vip guest")


class PlainTestCaseTests(TestCase):
    fixtures = CUSTOMERS

    def test_plain_test_case_loads_its_own_fixtures(self):
        self.assertEqual(Customer.objects.count(), 3)


class ExemptTests(Base):
    fixtures = CUSTOMERS
    exempt_from_fixture_bundling = True

    def test_exempt_class_sees_only_its_fixtures(self):
        self.assertEqual(Customer.objects.count(), 3)


class RegionTransactionTests(TransactionTestCase):
    serialized_rollback = True

    def test_migration_data_is_back_and_no_fixture_rows_leaked(self):
        self.assertEqual(sorted(Region.objects.values_list("name", flat=True)),
                         ["north", "south"])
        self.assertEqual(Customer.objects.count(), 0)
        self.assertEqual(Order.objects.count(), 0)
