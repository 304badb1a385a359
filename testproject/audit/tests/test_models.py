"""The audit log on the ``archive`` alias, alone and next to the orders
it describes on ``default``."""

import datetime

from django.db import router

from audit.models import AuditEntry
from audit.services import history_of
from catalog.models import Product
from nose_speedup import FastFixtureTestCase
from orders.models import Order


class AuditEntryTests(FastFixtureTestCase):
    databases = {"default", "archive"}
    fixtures = ["audit_log"]

    def test_fixture_rows_live_on_archive(self):
        self.assertEqual(AuditEntry.objects.using("archive").count(), 12)
        self.assertEqual(AuditEntry.objects.db, "archive")

    def test_entries_per_action(self):
        counts = {
            action: AuditEntry.objects.filter(action=action).count()
            for action in AuditEntry.Action.values
        }
        self.assertEqual(counts, {"create": 4, "update": 6, "delete": 1, "login": 1})

    def test_summary_names_actor_action_and_object(self):
        self.assertEqual(
            AuditEntry.objects.get(pk=701).summary(),
            "2024-01-05 09:00 ada@example.com Created orders.order#501",
        )

    def test_summary_without_object(self):
        self.assertEqual(
            AuditEntry.objects.get(pk=710).summary(), "2024-03-01 08:00 admin Signed in"
        )

    def test_newest_first(self):
        newest = list(AuditEntry.objects.newest_first().values_list("pk", flat=True)[:3])
        self.assertEqual(newest, [712, 711, 710])

    def test_by_actor(self):
        entries = AuditEntry.objects.by_actor("warehouse").order_by("pk")
        self.assertEqual([e.object_id for e in entries], ["501", "503", "508"])

    def test_created_at_is_aware_utc(self):
        created = AuditEntry.objects.get(pk=706).created_at
        expected = datetime.datetime(2024, 2, 2, 16, 45, tzinfo=datetime.timezone.utc)
        self.assertEqual(created, expected)

    def test_entries_in_a_month(self):
        february = AuditEntry.objects.filter(
            created_at__gte=datetime.datetime(2024, 2, 1, tzinfo=datetime.timezone.utc),
            created_at__lt=datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc),
        )
        self.assertEqual(february.count(), 5)


class AuditCrossDatabaseTests(FastFixtureTestCase):
    databases = {"default", "archive"}
    fixtures = ["catalog", "customers", "orders", "audit_log"]

    def test_history_of_order_read_from_archive(self):
        order = Order.objects.get(number="ORD-00001")
        self.assertEqual(
            [e.message for e in history_of(order)],
            ["Order ORD-00001 placed", "Order ORD-00001 shipped"],
        )

    def test_every_audited_order_exists_on_default(self):
        order_entries = AuditEntry.objects.filter(object_type="orders.order")
        ids = set(order_entries.values_list("object_id", flat=True))
        existing = {str(pk) for pk in Order.objects.filter(pk__in=ids).values_list("pk", flat=True)}
        self.assertEqual(existing, ids)

    def test_stock_change_entry_matches_product_state(self):
        product = Product.objects.get(sku="BK-002")
        (entry,) = history_of(product)
        self.assertEqual(entry.message, "Stock of BK-002 set to 0")
        self.assertEqual(product.stock, 0)

    def test_deleted_product_is_only_in_the_log(self):
        entry = AuditEntry.objects.get(action="delete")
        self.assertEqual(entry.object_type, "catalog.product")
        self.assertFalse(Product.objects.filter(pk=int(entry.object_id)).exists())

    def test_cancelled_order_history_ends_with_cancellation(self):
        order = Order.objects.get(number="ORD-00004")
        self.assertEqual(order.status, Order.Status.CANCELLED)
        self.assertEqual(history_of(order).last().message, "Order ORD-00004 cancelled")

    def test_orders_and_entries_are_routed_apart(self):
        self.assertEqual(router.db_for_read(Order), "default")
        self.assertEqual(router.db_for_read(AuditEntry), "archive")
        self.assertFalse(router.allow_relation(Order(), AuditEntry()))
