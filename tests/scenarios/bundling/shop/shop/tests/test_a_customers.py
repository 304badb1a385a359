from django.test import skipIfDBFeature

from shop.models import Customer, Order, Region
from shop.tests import CUSTOMERS, CUSTOMERS_ORDERS, VIP, Base


class CustomerCountTests(Base):
    fixtures = CUSTOMERS

    def test_created_row_is_rolled_back_after_the_test(self):
        Customer.objects.create(name="temporary")
        self.assertEqual(Customer.objects.count(), 4)

    def test_fails(self):
        self.assertEqual(Customer.objects.count(), 99)

    def test_fixture_rows_are_there(self):
        self.assertEqual(sorted(Customer.objects.values_list("name", flat=True)),
                         ["ada", "grace", "linus"])
        self.assertEqual(Order.objects.count(), 0)


class OrderTotalsTests(Base):
    fixtures = CUSTOMERS_ORDERS

    def test_errors(self):
        raise ValueError("an erroring test")

    def test_totals(self):
        self.assertEqual(sum(Order.objects.values_list("total", flat=True)), 42)
        self.assertEqual(Region.objects.count(), 2)


# Django evaluates this lazily; on MySQL "supports_transactions" would need a
# query, and nose2's loader reads every class attribute while discovering.
@skipIfDBFeature("uses_savepoints")
class SkippedFirstVipTests(Base):
    fixtures = VIP

    def test_never_runs(self):
        raise AssertionError("a skipped class ran")
