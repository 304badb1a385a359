from django.test import TestCase
from django.urls import reverse

from nose_speedup import FastFixtureTestCase


class ProductPageTests(FastFixtureTestCase):
    fixtures = ["products.json"]

    def test_page_shows_the_price_with_tax(self):
        response = self.client.get(reverse("product-detail", args=[1]))
        self.assertContains(response, "<p>Widget: 120.00 EUR</p>")


class ProductUrlTests(TestCase):
    def test_product_url(self):
        self.assertEqual(reverse("product-detail", args=[7]), "/products/7/")
