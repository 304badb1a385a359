import unittest

from shop.models import Item


class EscapingTests(unittest.TestCase):
    """A plain unittest test: no transaction, so its row is committed."""

    def test_commits_outside_any_transaction(self):
        Item.objects.create(name="Escaped its transaction")
