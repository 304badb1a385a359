from django.test import TransactionTestCase

from kill import kill_at
from shop.models import Item


class CommittingTests(TransactionTestCase):
    """Commits a row, and Django's flush after it empties every table."""

    def test_commits_a_row(self):
        Item.objects.create(name="Committed by a TransactionTestCase")
        kill_at("test")
        self.assertTrue(Item.objects.exists())
