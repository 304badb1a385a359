"""Order arithmetic and status rules against the shared order fixtures."""

from decimal import Decimal

from catalog.models import Product
from nose_speedup import FastFixtureTestCase
from orders.models import Customer, Order


class OrderTotalTests(FastFixtureTestCase):
    fixtures = ["catalog", "customers", "orders"]

    def test_total_adds_lines_and_shipping(self):
        self.assertEqual(Order.objects.get(number="ORD-00001").total(), Decimal("73.80"))

    def test_subtotal_uses_price_paid_not_current_price(self):
        order = Order.objects.get(number="ORD-00006")
        self.assertEqual(order.subtotal(), Decimal("119.00"))
        self.assertEqual(Product.objects.get(sku="AU-002").price, Decimal("59.50"))

    def test_totals_of_every_fixture_order(self):
        totals = {order.number: order.total() for order in Order.objects.order_by("number")}
        self.assertEqual(
            totals,
            {
                "ORD-00001": Decimal("73.80"),
                "ORD-00002": Decimal("129.00"),
                "ORD-00003": Decimal("61.87"),
                "ORD-00004": Decimal("253.90"),
                "ORD-00005": Decimal("49.98"),
                "ORD-00006": Decimal("128.90"),
                "ORD-00007": Decimal("88.90"),
                "ORD-00008": Decimal("802.90"),
                "ORD-00009": Decimal("0.00"),
            },
        )

    def test_item_count_sums_quantities(self):
        self.assertEqual(Order.objects.get(number="ORD-00003").item_count(), 4)

    def test_order_without_lines_is_empty(self):
        order = Order.objects.get(number="ORD-00009")
        self.assertEqual(order.item_count(), 0)
        self.assertEqual(order.total(), Decimal("0.00"))

    def test_line_sum_annotation_matches_python_subtotal(self):
        for order in Order.objects.with_line_sum().order_by("number"):
            with self.subTest(order=order.number):
                self.assertEqual(order.line_sum or Decimal("0"), order.subtotal())

    def test_as_dict_lists_lines_in_fixture_order(self):
        data = Order.objects.get(number="ORD-00007").as_dict()
        self.assertEqual([line["sku"] for line in data["lines"]], ["BK-006", "BK-001"])
        self.assertEqual(data["customer"], "grace@example.com")
        self.assertEqual(data["total"], "88.90")

    def test_lifetime_value_ignores_cancelled_and_draft_orders(self):
        values = {c.email: c.lifetime_value() for c in Customer.objects.all()}
        self.assertEqual(values["ada@example.com"], Decimal("202.80"))
        self.assertEqual(values["alan@example.com"], Decimal("0.00"))
        self.assertEqual(values["margaret@example.com"], Decimal("802.90"))


class CustomerModelTests(FastFixtureTestCase):
    fixtures = ["customers"]

    def test_fixture_holds_seven_customers(self):
        self.assertEqual(Customer.objects.count(), 7)

    def test_full_name(self):
        self.assertEqual(Customer.objects.get(pk=401).full_name(), "Ada Lovelace")

    def test_default_ordering_is_by_last_name(self):
        names = [c.last_name for c in Customer.objects.all()]
        self.assertEqual(
            names, ["Dijkstra", "Hamilton", "Hopper", "Liskov", "Lovelace", "Torvalds", "Turing"]
        )

    def test_vip_customers(self):
        vips = Customer.objects.filter(is_vip=True).order_by("email")
        self.assertEqual(
            [c.email for c in vips],
            ["ada@example.com", "grace@example.com", "margaret@example.com"],
        )

    def test_customer_without_orders_has_no_lifetime_value(self):
        self.assertEqual(Customer.objects.get(pk=406).lifetime_value(), Decimal("0.00"))

    def test_customers_by_city(self):
        boston = Customer.objects.filter(city="Boston").order_by("pk")
        self.assertEqual([c.first_name for c in boston], ["Barbara", "Margaret"])


class OrderStatusTests(FastFixtureTestCase):
    fixtures = ["catalog", "customers", "orders"]

    def test_open_orders_are_drafts_and_placed(self):
        numbers = Order.objects.open().order_by("number").values_list("number", flat=True)
        self.assertEqual(
            list(numbers), ["ORD-00002", "ORD-00005", "ORD-00006", "ORD-00007", "ORD-00009"]
        )

    def test_shipped_and_cancelled_orders_cannot_be_cancelled(self):
        self.assertFalse(Order.objects.get(number="ORD-00001").can_cancel())
        self.assertFalse(Order.objects.get(number="ORD-00004").can_cancel())

    def test_cancel_returns_units_to_stock(self):
        Order.objects.get(number="ORD-00002").cancel()
        self.assertEqual(Order.objects.get(number="ORD-00002").status, Order.Status.CANCELLED)
        self.assertEqual(Product.objects.get(sku="AU-001").stock, 8)

    def test_cancel_restocks_every_line(self):
        Order.objects.get(number="ORD-00006").cancel()
        restocked = Product.objects.filter(sku__in=["AU-002", "GD-002"])
        stock = dict(restocked.values_list("sku", "stock"))
        self.assertEqual(stock, {"AU-002": 16, "GD-002": 7})

    def test_cancelling_shipped_order_raises(self):
        with self.assertRaisesMessage(ValueError, "ORD-00003 is shipped"):
            Order.objects.get(number="ORD-00003").cancel()
        self.assertEqual(Product.objects.get(sku="BK-004").stock, 25)

    def test_orders_per_status(self):
        counts = {
            status: Order.objects.filter(status=status).count() for status in Order.Status.values
        }
        self.assertEqual(counts, {"draft": 2, "placed": 3, "shipped": 3, "cancelled": 1})
