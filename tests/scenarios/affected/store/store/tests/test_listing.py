from django.test import TestCase
from django.urls import reverse

from store import factories


class ProductListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.products = factories.make_products()

    def test_the_list_shows_each_product_with_its_price(self):
        response = self.client.get(reverse("product-list"))
        self.assertContains(response, "<li>Gizmo: 10.00 EUR</li>")
