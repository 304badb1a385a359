from django.test import TestCase

from shop.models import Item


class FixtureTests(TestCase):
    fixtures = ["items.json"]

    def test_fixture_loaded(self):
        self.assertTrue(Item.objects.filter(name="From a fixture").exists())
