"""Model behaviour of the catalogue against the shared ``catalog`` fixture
(and, for sales, the orders fixtures that reference it)."""

from decimal import Decimal

from django.db.models import ProtectedError

from catalog.models import Category, Product, Tag
from nose_speedup import FastFixtureTestCase


class CategoryModelTests(FastFixtureTestCase):
    fixtures = ["catalog"]

    def test_fixture_categories_and_migration_row_are_all_present(self):
        slugs = list(Category.objects.order_by("slug").values_list("slug", flat=True))
        self.assertEqual(
            slugs,
            ["audio", "books", "electronics", "fiction", "garden", "kitchen", "uncategorized"],
        )

    def test_roots_are_categories_without_parent(self):
        roots = Category.objects.roots().order_by("name").values_list("name", flat=True)
        self.assertEqual(
            list(roots), ["Books", "Electronics", "Garden", "Kitchen", "Uncategorized"]
        )

    def test_full_path_joins_ancestor_names(self):
        self.assertEqual(Category.objects.get(slug="fiction").full_path(), "Books / Fiction")
        self.assertEqual(Category.objects.get(slug="audio").full_path(), "Electronics / Audio")

    def test_full_path_of_root_is_its_name(self):
        self.assertEqual(Category.objects.get(slug="garden").full_path(), "Garden")

    def test_children_are_reachable_through_related_name(self):
        books = Category.objects.get(slug="books")
        self.assertEqual([child.slug for child in books.children.order_by("slug")], ["fiction"])

    def test_uncategorized_lookup_finds_the_data_migration_row(self):
        category = Category.objects.uncategorized()
        self.assertEqual(category.name, "Uncategorized")
        self.assertTrue(category.is_uncategorized())

    def test_category_with_products_cannot_be_deleted(self):
        with self.assertRaises(ProtectedError):
            Category.objects.get(slug="garden").delete()

    def test_empty_category_can_be_deleted(self):
        Category.objects.get(slug="kitchen").delete()
        self.assertFalse(Category.objects.filter(slug="kitchen").exists())


class ProductModelTests(FastFixtureTestCase):
    fixtures = ["catalog"]

    def test_fixture_holds_eighteen_products(self):
        self.assertEqual(Product.objects.count(), 18)

    def test_active_excludes_discontinued_products(self):
        inactive = Product.objects.exclude(pk__in=Product.objects.active()).order_by("sku")
        self.assertEqual([p.sku for p in inactive], ["AU-004", "BK-005"])

    def test_in_stock_excludes_sold_out_products(self):
        sold_out = Product.objects.exclude(pk__in=Product.objects.in_stock()).order_by("sku")
        self.assertEqual([p.sku for p in sold_out], ["AU-004", "BK-002", "EL-002", "GD-004"])

    def test_is_available_needs_both_active_and_stock(self):
        self.assertTrue(Product.objects.get(sku="BK-001").is_available())
        self.assertFalse(Product.objects.get(sku="BK-002").is_available())
        self.assertFalse(Product.objects.get(sku="BK-005").is_available())

    def test_in_category_tree_includes_child_categories(self):
        books = Category.objects.get(slug="books")
        skus = Product.objects.in_category_tree(books).order_by("sku").values_list("sku", flat=True)
        self.assertEqual(list(skus), ["BK-001", "BK-002", "BK-003", "BK-004", "BK-005", "BK-006"])

    def test_tagged_filters_by_tag_slug(self):
        skus = Product.objects.tagged("wireless").order_by("sku").values_list("sku", flat=True)
        self.assertEqual(list(skus), ["AU-001", "AU-002"])

    def test_price_with_tax_rounds_half_up_to_cents(self):
        dune = Product.objects.get(sku="BK-004")
        self.assertEqual(dune.price_with_tax(), Decimal("15.59"))
        self.assertEqual(dune.price_with_tax(Decimal("0.07")), Decimal("13.90"))

    def test_tag_slugs_are_sorted(self):
        speaker = Product.objects.get(sku="AU-002")
        self.assertEqual(speaker.tag_slugs(), ["gift", "sale", "wireless"])

    def test_as_dict_exposes_price_as_string(self):
        self.assertEqual(
            Product.objects.get(sku="GD-003").as_dict(),
            {
                "sku": "GD-003",
                "name": "Pruning Shears",
                "category": "garden",
                "price": "22.75",
                "stock": 18,
                "available": True,
                "tags": ["gift"],
            },
        )

    def test_tag_counts_match_fixture(self):
        counts = {tag.slug: tag.products.count() for tag in Tag.objects.all()}
        self.assertEqual(
            counts,
            {"bestseller": 5, "new": 5, "gift": 5, "sale": 4, "eco": 4, "wireless": 2},
        )

    def test_str_is_sku_and_name(self):
        self.assertEqual(str(Product.objects.get(sku="EL-001")), "EL-001 USB-C Charger")


class ProductSalesTests(FastFixtureTestCase):
    fixtures = ["catalog", "customers", "orders"]

    def test_ordered_product_cannot_be_deleted(self):
        with self.assertRaises(ProtectedError):
            Product.objects.get(sku="BK-001").delete()

    def test_never_ordered_product_can_be_deleted(self):
        Product.objects.get(sku="BK-002").delete()
        self.assertFalse(Product.objects.filter(sku="BK-002").exists())

    def test_order_lines_reach_orders_through_reverse_relation(self):
        product = Product.objects.get(sku="BK-001")
        numbers = product.order_lines.order_by("order__number").values_list(
            "order__number", flat=True
        )
        self.assertEqual(list(numbers), ["ORD-00001", "ORD-00007"])

    def test_products_never_ordered(self):
        never = Product.objects.filter(order_lines__isnull=True).order_by("sku")
        self.assertEqual(
            [p.sku for p in never],
            ["AU-004", "BK-002", "BK-005", "EL-002", "EL-003", "GD-003", "GD-004"],
        )
