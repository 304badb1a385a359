"""Money helpers and query forms: no database, so plain ``unittest`` and
``SimpleTestCase`` classes that a fixture-bundling run leaves alone."""

import unittest
from decimal import Decimal

from django.test import SimpleTestCase
from django.urls import resolve, reverse

from catalog.forms import ProductFilterForm
from catalog.pricing import apply_discount, apply_tax, format_price, quantize, split_evenly


class PricingTests(unittest.TestCase):
    def test_quantize_rounds_half_up(self):
        self.assertEqual(quantize(Decimal("2.675")), Decimal("2.68"))
        self.assertEqual(quantize(Decimal("2.665")), Decimal("2.67"))

    def test_apply_tax(self):
        self.assertEqual(apply_tax(Decimal("10.00"), Decimal("0.20")), Decimal("12.00"))

    def test_negative_tax_rate_is_rejected(self):
        with self.assertRaises(ValueError):
            apply_tax(Decimal("10.00"), Decimal("-0.1"))

    def test_apply_discount(self):
        self.assertEqual(apply_discount(Decimal("59.50"), 15), Decimal("50.58"))

    def test_full_discount_is_free(self):
        self.assertEqual(apply_discount(Decimal("59.50"), 100), Decimal("0.00"))

    def test_discount_outside_range_is_rejected(self):
        for percent in (-1, 101):
            with self.subTest(percent=percent), self.assertRaises(ValueError):
                apply_discount(Decimal("1.00"), percent)

    def test_split_evenly_adds_up_exactly(self):
        shares = split_evenly(Decimal("10.00"), 3)
        self.assertEqual(shares, [Decimal("3.34"), Decimal("3.33"), Decimal("3.33")])
        self.assertEqual(sum(shares), Decimal("10.00"))

    def test_split_needs_at_least_one_part(self):
        with self.assertRaises(ValueError):
            split_evenly(Decimal("1.00"), 0)

    def test_format_price_groups_thousands(self):
        self.assertEqual(format_price(Decimal("1234.5")), "1,234.50 EUR")
        self.assertEqual(format_price(Decimal("3"), currency="USD"), "3.00 USD")


class ProductFilterFormTests(SimpleTestCase):
    def test_empty_query_is_valid(self):
        form = ProductFilterForm({})
        self.assertTrue(form.is_valid())
        self.assertFalse(form.cleaned_data["available"])

    def test_query_is_stripped(self):
        form = ProductFilterForm({"q": "  dune  "})
        self.assertTrue(form.is_valid())
        self.assertEqual(form.cleaned_data["q"], "dune")

    def test_prices_are_decimals(self):
        form = ProductFilterForm({"min_price": "9.5", "max_price": "20"})
        self.assertTrue(form.is_valid())
        self.assertEqual(form.cleaned_data["min_price"], Decimal("9.5"))

    def test_negative_price_is_invalid(self):
        form = ProductFilterForm({"min_price": "-1"})
        self.assertFalse(form.is_valid())
        self.assertIn("min_price", form.errors)

    def test_min_above_max_is_invalid(self):
        form = ProductFilterForm({"min_price": "30", "max_price": "10"})
        self.assertFalse(form.is_valid())
        self.assertEqual(form.non_field_errors(), ["min_price must not exceed max_price."])

    def test_category_must_be_a_slug(self):
        self.assertFalse(ProductFilterForm({"category": "not a slug"}).is_valid())


class CatalogUrlTests(SimpleTestCase):
    def test_product_detail_url_round_trips(self):
        url = reverse("catalog:product-detail", args=["BK-001"])
        self.assertEqual(url, "/catalog/products/BK-001/")
        self.assertEqual(resolve(url).kwargs, {"sku": "BK-001"})

    def test_category_page_url(self):
        self.assertEqual(
            reverse("catalog:category-page", args=["fiction"]), "/catalog/categories/fiction/"
        )
