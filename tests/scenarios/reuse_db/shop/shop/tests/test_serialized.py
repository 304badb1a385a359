from django.test import TransactionTestCase

from shop.models import Item


class SerializedRollbackTests(TransactionTestCase):
    serialized_rollback = True

    def test_sees_migration_row(self):
        self.assertTrue(Item.objects.filter(name="Seeded by a migration").exists())
