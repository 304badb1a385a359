"""Placing orders and sales reports."""

import datetime
from decimal import Decimal

from django.test import TestCase

from catalog.models import Category, Product
from nose_speedup import FastFixtureTestCase
from orders.models import Customer, Order
from orders.services import (
    OutOfStock,
    best_sellers,
    next_order_number,
    place_order,
    shipping_cost_for,
    top_customers,
)

MARCH_FIRST = datetime.date(2024, 3, 1)


class PlaceOrderTests(FastFixtureTestCase):
    fixtures = ["catalog", "customers", "orders"]

    def products(self, *skus):
        by_sku = Product.objects.in_bulk(skus, field_name="sku")
        return [by_sku[sku] for sku in skus]

    def test_numbers_continue_after_fixture_orders(self):
        self.assertEqual(next_order_number(), "ORD-00010")

    def test_placed_order_records_lines_at_current_price(self):
        (book,) = self.products("BK-001")
        order = place_order(Customer.objects.get(pk=403), [(book, 2)], placed_on=MARCH_FIRST)
        self.assertEqual(order.number, "ORD-00010")
        self.assertEqual(order.status, Order.Status.PLACED)
        self.assertEqual(order.placed_on, MARCH_FIRST)
        self.assertEqual(order.subtotal(), Decimal("79.80"))

    def test_placing_decrements_stock(self):
        book, can = self.products("BK-001", "GD-001")
        place_order(Customer.objects.get(pk=403), [(book, 2), (can, 5)])
        ordered = Product.objects.filter(sku__in=["BK-001", "GD-001"])
        stock = dict(ordered.values_list("sku", "stock"))
        self.assertEqual(stock, {"BK-001": 10, "GD-001": 35})

    def test_regular_customer_pays_shipping_below_threshold(self):
        (book,) = self.products("BK-001")
        order = place_order(Customer.objects.get(pk=403), [(book, 1)])
        self.assertEqual(order.shipping_cost, Decimal("4.90"))
        self.assertEqual(order.total(), Decimal("44.80"))

    def test_vip_ships_free(self):
        (book,) = self.products("BK-001")
        order = place_order(Customer.objects.get(pk=401), [(book, 1)])
        self.assertEqual(order.shipping_cost, Decimal("0.00"))

    def test_out_of_stock_item_cancels_whole_order(self):
        book, sold_out = self.products("BK-001", "BK-002")
        with self.assertRaises(OutOfStock) as raised:
            place_order(Customer.objects.get(pk=403), [(book, 1), (sold_out, 1)])
        self.assertEqual(raised.exception.product.sku, "BK-002")
        self.assertEqual(Product.objects.get(sku="BK-001").stock, 12)
        self.assertEqual(Order.objects.count(), 9)

    def test_discontinued_product_cannot_be_ordered(self):
        (old,) = self.products("BK-005")
        with self.assertRaisesMessage(ValueError, "BK-005 is no longer sold"):
            place_order(Customer.objects.get(pk=403), [(old, 1)])

    def test_empty_order_is_rejected(self):
        with self.assertRaises(ValueError):
            place_order(Customer.objects.get(pk=403), [])


class SalesReportTests(TestCase):
    """A plain ``django.test.TestCase`` sharing the order fixtures."""

    fixtures = ["catalog", "customers", "orders"]

    def test_best_sellers_count_placed_and_shipped_units(self):
        self.assertEqual(best_sellers(), [("BK-004", 3), ("AU-005", 2), ("BK-001", 2)])

    def test_cancelled_orders_do_not_count_as_sales(self):
        sold = dict(best_sellers(limit=20))
        self.assertNotIn("AU-003", sold)
        self.assertNotIn("EL-001", sold)

    def test_top_customers_break_ties_by_email(self):
        emails = [c.email for c in top_customers()]
        self.assertEqual(emails, ["ada@example.com", "grace@example.com", "barbara@example.com"])

    def test_top_customers_carry_order_count(self):
        counts = {c.email: c.order_count for c in top_customers(limit=10)}
        self.assertEqual(
            counts,
            {
                "ada@example.com": 2,
                "grace@example.com": 2,
                "barbara@example.com": 1,
                "margaret@example.com": 1,
            },
        )

    def test_free_shipping_threshold(self):
        regular = Customer.objects.get(pk=403)
        self.assertEqual(shipping_cost_for(regular, Decimal("99.99")), Decimal("4.90"))
        self.assertEqual(shipping_cost_for(regular, Decimal("100.00")), Decimal("0.00"))


class FirstOrderTests(FastFixtureTestCase):
    """Customers only, no orders: numbering starts from scratch."""

    fixtures = ["customers"]

    @classmethod
    def setUpTestData(cls):
        # Rows the shared ``customers`` fixture lacks; classes bundled with
        # this one must never see them (they assert 7 customers).
        cls.walk_in = Customer.objects.create(
            email="walk-in@example.com", first_name="Walk", last_name="In"
        )
        cls.category = Category.objects.create(name="Toys", slug="toys")
        cls.yoyo = Product.objects.create(
            sku="TY-001", name="Yo-yo", category=cls.category, price="3.50", stock=4
        )

    def test_first_number_is_one(self):
        self.assertEqual(next_order_number(), "ORD-00001")

    def test_set_up_data_adds_to_fixture_customers(self):
        self.assertEqual(Customer.objects.count(), 8)

    def test_first_order_gets_first_number(self):
        order = place_order(self.walk_in, [(self.yoyo, 4)])
        self.assertEqual(order.number, "ORD-00001")
        self.assertEqual(Product.objects.get(sku="TY-001").stock, 0)

    def test_numbers_increase_per_order(self):
        first = place_order(self.walk_in, [(self.yoyo, 1)])
        second = place_order(self.walk_in, [(self.yoyo, 1)])
        self.assertEqual([first.number, second.number], ["ORD-00001", "ORD-00002"])

    def test_requesting_more_than_stock_names_the_shortfall(self):
        with self.assertRaisesMessage(OutOfStock, "TY-001: 5 requested, 4 in stock"):
            place_order(self.walk_in, [(self.yoyo, 5)])
