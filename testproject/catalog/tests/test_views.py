"""The catalogue's JSON and HTML views, and its admin pages."""

from django.contrib.auth.models import Permission, User
from django.test import TestCase
from django.urls import reverse

from nose_speedup import FastFixtureTestCase


class ProductListViewTests(FastFixtureTestCase):
    fixtures = ["catalog"]

    def get_json(self, **params):
        response = self.client.get(reverse("catalog:product-list"), params)
        return response.status_code, response.json()

    def test_lists_every_product_without_filters(self):
        status, body = self.get_json()
        self.assertEqual(status, 200)
        self.assertEqual(body["count"], 18)
        self.assertEqual(body["results"][0]["sku"], "AU-001")

    def test_filters_by_category_including_subcategories(self):
        _, body = self.get_json(category="electronics")
        self.assertEqual(body["count"], 8)

    def test_filters_by_tag(self):
        _, body = self.get_json(tag="eco")
        self.assertEqual(
            [p["sku"] for p in body["results"]], ["EL-002", "GD-001", "GD-002", "GD-004"]
        )

    def test_available_flag_filters_unavailable_products(self):
        _, body = self.get_json(available="on")
        self.assertEqual(body["count"], 13)
        self.assertTrue(all(p["available"] for p in body["results"]))

    def test_text_query_and_price_filter_combine(self):
        _, body = self.get_json(q="er", max_price="30")
        self.assertEqual(
            [p["sku"] for p in body["results"]], ["EL-001", "EL-003", "GD-001", "GD-004"]
        )

    def test_unknown_category_is_a_bad_request(self):
        status, body = self.get_json(category="toys")
        self.assertEqual(status, 400)
        self.assertIn("category", body["errors"])

    def test_inverted_price_range_is_a_bad_request(self):
        status, body = self.get_json(min_price="50", max_price="10")
        self.assertEqual(status, 400)
        self.assertIn("__all__", body["errors"])

    def test_post_is_not_allowed(self):
        self.assertEqual(self.client.post(reverse("catalog:product-list")).status_code, 405)


class ProductDetailViewTests(FastFixtureTestCase):
    fixtures = ["catalog"]

    def test_returns_product_as_json(self):
        response = self.client.get(reverse("catalog:product-detail", args=["AU-001"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["name"], "Wireless Headphones")
        self.assertEqual(response.json()["tags"], ["bestseller", "wireless"])

    def test_sold_out_product_is_not_available(self):
        body = self.client.get(reverse("catalog:product-detail", args=["EL-002"])).json()
        self.assertEqual(body["stock"], 0)
        self.assertFalse(body["available"])

    def test_category_is_given_by_slug(self):
        body = self.client.get(reverse("catalog:product-detail", args=["BK-004"])).json()
        self.assertEqual(body["category"], "fiction")

    def test_unknown_sku_is_not_found(self):
        response = self.client.get(reverse("catalog:product-detail", args=["XX-999"]))
        self.assertEqual(response.status_code, 404)


class CategoryPageTests(FastFixtureTestCase):
    fixtures = ["catalog"]

    def test_page_title_is_the_full_path(self):
        response = self.client.get(reverse("catalog:category-page", args=["fiction"]))
        self.assertContains(response, "<title>Books / Fiction</title>", html=False)

    def test_lists_active_products_only(self):
        response = self.client.get(reverse("catalog:category-page", args=["books"]))
        self.assertContains(response, 'data-sku="BK-001"')
        self.assertNotContains(response, 'data-sku="BK-005"')
        self.assertEqual(
            [p.sku for p in response.context["products"]], ["BK-001", "BK-006", "BK-002"]
        )

    def test_marks_sold_out_products(self):
        response = self.client.get(reverse("catalog:category-page", args=["books"]))
        self.assertContains(response, "Two Scoops of Django &ndash; 45.00 (sold out)")

    def test_lists_subcategories(self):
        response = self.client.get(reverse("catalog:category-page", args=["electronics"]))
        self.assertContains(response, "<li>Audio</li>", html=True)

    def test_empty_category_says_so(self):
        response = self.client.get(reverse("catalog:category-page", args=["kitchen"]))
        self.assertContains(response, "No products yet.")

    def test_unknown_category_is_not_found(self):
        response = self.client.get(reverse("catalog:category-page", args=["toys"]))
        self.assertEqual(response.status_code, 404)


class CatalogAdminTests(TestCase):
    """Admin pages depend on the permissions and content types that
    ``post_migrate`` creates, besides the ``catalog`` fixture."""

    fixtures = ["catalog"]

    @classmethod
    def setUpTestData(cls):
        cls.admin = User.objects.create_superuser("admin", "admin@example.com", "secret")
        cls.clerk = User.objects.create_user("clerk", "clerk@example.com", "secret", is_staff=True)

    def test_post_migrate_created_product_permissions(self):
        codenames = set(
            Permission.objects.filter(content_type__app_label="catalog").values_list(
                "codename", flat=True
            )
        )
        self.assertTrue({"add_product", "change_product", "delete_product"} <= codenames)

    def test_superuser_sees_fixture_products_in_changelist(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("admin:catalog_product_changelist"))
        self.assertContains(response, "Wireless Headphones")
        self.assertContains(response, "18 products")

    def test_admin_search_matches_name(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("admin:catalog_product_changelist"), {"q": "dune"})
        self.assertContains(response, "BK-004")
        self.assertNotContains(response, "Turntable")

    def test_staff_without_permission_is_forbidden(self):
        self.client.force_login(self.clerk)
        response = self.client.get(reverse("admin:catalog_product_changelist"))
        self.assertEqual(response.status_code, 403)

    def test_granted_view_permission_opens_changelist(self):
        self.clerk.user_permissions.add(Permission.objects.get(codename="view_product"))
        self.client.force_login(self.clerk)
        response = self.client.get(reverse("admin:catalog_product_changelist"))
        self.assertEqual(response.status_code, 200)
