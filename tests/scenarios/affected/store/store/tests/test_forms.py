from django.test import SimpleTestCase

from store.forms import ProductForm


class ProductFormTests(SimpleTestCase):
    def test_a_zero_price_is_refused(self):
        self.assertFalse(ProductForm({"name": "x", "price": "0"}).is_valid())

    def test_a_positive_price_is_accepted(self):
        self.assertTrue(ProductForm({"name": "x", "price": "3"}).is_valid())
