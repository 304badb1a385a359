"""Catalogue services: search, restocking, discounts and retiring a
category (which relies on the "Uncategorized" data-migration row)."""

from decimal import Decimal

from django.test import TestCase, TransactionTestCase

from catalog.models import Category, Product
from catalog.services import discount_category, restock, retire_category, search_products
from nose_speedup import FastFixtureTestCase


def skus(products):
    return [product.sku for product in products]


class SearchProductsTests(FastFixtureTestCase):
    fixtures = ["catalog"]

    def test_no_filters_returns_everything_by_sku(self):
        found = skus(search_products({}))
        self.assertEqual(len(found), 18)
        self.assertEqual(found, sorted(found))

    def test_text_search_is_case_insensitive(self):
        self.assertEqual(skus(search_products({"q": "DJANGO"})), ["BK-001", "BK-002"])

    def test_text_search_matches_sku(self):
        self.assertEqual(
            skus(search_products({"q": "au-00"})),
            ["AU-001", "AU-002", "AU-003", "AU-004", "AU-005"],
        )

    def test_price_range_is_inclusive(self):
        found = search_products({"min_price": Decimal("22.75"), "max_price": Decimal("49.00")})
        self.assertEqual(
            skus(found), ["AU-004", "BK-001", "BK-002", "BK-006", "EL-001", "EL-003", "GD-003"]
        )

    def test_category_and_tag_filters_combine(self):
        found = search_products({"category": "electronics", "tag": "sale"})
        self.assertEqual(skus(found), ["AU-002", "AU-004", "EL-003"])

    def test_available_drops_sold_out_and_inactive(self):
        found = search_products({"category": "books", "available": True})
        self.assertEqual(skus(found), ["BK-001", "BK-003", "BK-004", "BK-006"])

    def test_tag_filter_combines_with_availability(self):
        found = search_products({"tag": "gift", "available": True})
        self.assertEqual(skus(found), ["AU-002", "BK-003", "GD-003"])


class RestockTests(TestCase):
    """A plain ``django.test.TestCase`` sharing the ``catalog`` fixture."""

    fixtures = ["catalog"]

    def test_restock_adds_to_current_stock(self):
        product = Product.objects.get(sku="BK-001")
        self.assertEqual(restock(product, 8), 20)
        self.assertEqual(Product.objects.get(sku="BK-001").stock, 20)

    def test_restock_makes_sold_out_product_available(self):
        product = Product.objects.get(sku="BK-002")
        restock(product, 1)
        self.assertTrue(Product.objects.get(sku="BK-002").is_available())

    def test_restock_does_not_reactivate_discontinued_product(self):
        product = Product.objects.get(sku="BK-005")
        restock(product, 10)
        self.assertFalse(Product.objects.get(sku="BK-005").is_available())

    def test_restock_rejects_non_positive_quantity(self):
        product = Product.objects.get(sku="BK-001")
        for quantity in (0, -3):
            with self.subTest(quantity=quantity), self.assertRaises(ValueError):
                restock(product, quantity)
        self.assertEqual(Product.objects.get(sku="BK-001").stock, 12)


class RetireCategoryTests(FastFixtureTestCase):
    fixtures = ["catalog"]

    def test_products_move_to_uncategorized(self):
        moved = retire_category(Category.objects.get(slug="garden"))
        self.assertEqual(moved, 4)
        self.assertEqual(
            skus(Category.objects.uncategorized().products.order_by("sku")),
            ["GD-001", "GD-002", "GD-003", "GD-004"],
        )

    def test_retiring_parent_also_moves_child_category_products(self):
        moved = retire_category(Category.objects.get(slug="books"))
        self.assertEqual(moved, 6)
        self.assertFalse(Category.objects.filter(slug__in=["books", "fiction"]).exists())

    def test_retiring_empty_category_moves_nothing(self):
        self.assertEqual(retire_category(Category.objects.get(slug="kitchen")), 0)
        self.assertFalse(Category.objects.filter(slug="kitchen").exists())

    def test_uncategorized_itself_cannot_be_retired(self):
        with self.assertRaises(ValueError):
            retire_category(Category.objects.uncategorized())
        self.assertTrue(Category.objects.filter(slug="uncategorized").exists())


class DiscountCategoryTransactionTests(TransactionTestCase):
    """``discount_category`` is all-or-nothing. Proved with real commits:
    a ``TransactionTestCase`` that loads the fixture and flushes after."""

    fixtures = ["catalog"]

    def test_discount_commits_new_prices_of_active_products(self):
        changed = discount_category(Category.objects.get(slug="audio"), 10)
        self.assertEqual(changed, 4)
        prices = dict(
            Product.objects.filter(category__slug="audio").values_list("sku", "price")
        )
        self.assertEqual(prices["AU-001"], Decimal("116.10"))
        self.assertEqual(prices["AU-004"], Decimal("35.00"))

    def test_failed_discount_leaves_every_price_unchanged(self):
        before = dict(Product.objects.values_list("sku", "price"))
        with self.assertRaises(ValueError):
            discount_category(Category.objects.get(slug="garden"), 100)
        self.assertEqual(dict(Product.objects.values_list("sku", "price")), before)

    def test_invalid_percentage_is_rejected(self):
        with self.assertRaises(ValueError):
            discount_category(Category.objects.get(slug="garden"), 120)
