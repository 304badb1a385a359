"""Helpers the tests call from ``setUpTestData``."""

from store.models import Product


def make_products():
    return [Product.objects.create(name="Gizmo", price="10.00")]
