"""The rows that migrations create. ``serialized_rollback`` makes Django
restore them before each test here, so these tests pass even after another
``TransactionTestCase`` has flushed the database -- as long as the test
database was built by this run, which is what ``--keepdb`` breaks."""

from django.test import TransactionTestCase

from catalog.models import Category, Product
from catalog.services import retire_category


class UncategorizedMigrationTests(TransactionTestCase):
    serialized_rollback = True

    def test_data_migration_created_uncategorized_category(self):
        category = Category.objects.get(slug="uncategorized")
        self.assertEqual(category.name, "Uncategorized")
        self.assertIsNone(category.parent)

    def test_migration_row_is_the_only_category_without_fixtures(self):
        self.assertEqual(list(Category.objects.values_list("slug", flat=True)), ["uncategorized"])

    def test_retire_category_commits_move_to_uncategorized(self):
        toys = Category.objects.create(name="Toys", slug="toys")
        Product.objects.create(sku="TY-001", name="Yo-yo", category=toys, price="3.50", stock=5)
        self.assertEqual(retire_category(toys), 1)
        self.assertEqual(Product.objects.get(sku="TY-001").category.slug, "uncategorized")

    def test_uncategorized_starts_without_products(self):
        self.assertFalse(Category.objects.uncategorized().products.exists())
