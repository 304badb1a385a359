"""Named to be discovered first: Django's ordering must still run it after
every TestCase class."""
from django.test import TransactionTestCase

from shelf.models import Book


class EarlyTransactionalTests(TransactionTestCase):
    serialized_rollback = True

    def test_sees_migration_row(self):
        self.assertTrue(Book.objects.filter(title="Seeded by a migration").exists())
