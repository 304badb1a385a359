"""``place_order`` with real commits: only a ``TransactionTestCase`` sees
``on_commit`` callbacks run, and the callback writes the audit log on the
``archive`` database."""

from django.test import TransactionTestCase

from audit.models import AuditEntry
from catalog.models import Product
from orders.models import Customer, Order
from orders.services import OutOfStock, place_order


class PlaceOrderCommitTests(TransactionTestCase):
    databases = {"default", "archive"}
    fixtures = ["catalog", "customers"]

    def test_committed_order_is_audited_on_archive(self):
        order = place_order(Customer.objects.get(pk=403), [(Product.objects.get(sku="GD-001"), 1)])
        entry = AuditEntry.objects.for_instance(order).get()
        self.assertEqual(entry.message, "Order ORD-00001 placed")
        self.assertEqual(entry.actor, "alan@example.com")
        self.assertEqual(entry._state.db, "archive")

    def test_failed_order_leaves_no_order_stock_change_or_audit(self):
        items = [(Product.objects.get(sku="GD-001"), 1), (Product.objects.get(sku="GD-004"), 1)]
        with self.assertRaises(OutOfStock):
            place_order(Customer.objects.get(pk=403), items)
        self.assertFalse(Order.objects.exists())
        self.assertEqual(Product.objects.get(sku="GD-001").stock, 40)
        self.assertFalse(AuditEntry.objects.exists())

    def test_every_committed_order_gets_one_entry(self):
        customer = Customer.objects.get(pk=405)
        product = Product.objects.get(sku="EL-001")
        for _ in range(3):
            place_order(customer, [(product, 1)])
        self.assertEqual(
            list(AuditEntry.objects.order_by("message").values_list("message", flat=True)),
            ["Order ORD-00001 placed", "Order ORD-00002 placed", "Order ORD-00003 placed"],
        )
        self.assertEqual(Product.objects.get(sku="EL-001").stock, 47)
