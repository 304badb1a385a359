from django.conf import settings
from django.test import SimpleTestCase


class CurrencyTests(SimpleTestCase):
    def test_the_store_sells_in_euros(self):
        self.assertEqual(settings.STORE_CURRENCY, "EUR")
