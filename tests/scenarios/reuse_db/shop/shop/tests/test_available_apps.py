from django.test import TransactionTestCase

from shop.models import Item


class ShopOnlyTests(TransactionTestCase):
    """With ``available_apps`` Django's flush empties only the shop's tables
    and does not run ``post_migrate`` again."""

    available_apps = ["shop"]

    def test_commits_a_row(self):
        Item.objects.create(name="Committed with available_apps")
        self.assertTrue(Item.objects.exists())
