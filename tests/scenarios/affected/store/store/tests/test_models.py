from decimal import Decimal

from django.test import TestCase

from nose_speedup import FastFixtureTestCase
from store.models import Product


class ProductFixtureTests(FastFixtureTestCase):
    fixtures = ["products.json"]

    def test_price_with_tax(self):
        self.assertEqual(Product.objects.get(pk=1).price_with_tax(), Decimal("120"))

    def test_label_is_shouted(self):
        self.assertEqual(Product.objects.get(pk=2).label(), "GADGET!")


class ProductClassTests(TestCase):
    def test_initial_stock_is_the_class_default(self):
        self.assertEqual(Product(name="x", price=1).initial_stock(), 5)

    def test_the_seed_migration_made_a_product(self):
        self.assertEqual(list(Product.objects.values_list("name", flat=True)), ["Seed"])
