"""Order JSON views and the customer sign-up page."""

from django.urls import reverse

from nose_speedup import FastFixtureTestCase
from orders.models import Customer


class OrderDetailViewTests(FastFixtureTestCase):
    fixtures = ["catalog", "customers", "orders"]

    def test_returns_order_with_lines_and_total(self):
        response = self.client.get(reverse("orders:order-detail", args=["ORD-00001"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            {
                "number": "ORD-00001",
                "customer": "ada@example.com",
                "status": "shipped",
                "placed_on": "2024-01-05",
                "lines": [
                    {"sku": "BK-001", "quantity": 1, "unit_price": "39.90", "line_total": "39.90"},
                    {"sku": "BK-003", "quantity": 2, "unit_price": "14.50", "line_total": "29.00"},
                ],
                "shipping_cost": "4.90",
                "total": "73.80",
            },
        )

    def test_draft_order_has_no_placed_date(self):
        body = self.client.get(reverse("orders:order-detail", args=["ORD-00005"])).json()
        self.assertIsNone(body["placed_on"])
        self.assertEqual(body["status"], "draft")

    def test_unknown_order_is_not_found(self):
        response = self.client.get(reverse("orders:order-detail", args=["ORD-99999"]))
        self.assertEqual(response.status_code, 404)

    def test_customer_orders_lists_subtotals(self):
        response = self.client.get(reverse("orders:customer-orders", args=[401]))
        self.assertEqual(
            response.json(),
            {
                "customer": "Ada Lovelace",
                "orders": [
                    {"number": "ORD-00001", "status": "shipped", "subtotal": "68.90"},
                    {"number": "ORD-00002", "status": "placed", "subtotal": "129.00"},
                ],
            },
        )

    def test_order_without_lines_has_zero_subtotal(self):
        body = self.client.get(reverse("orders:customer-orders", args=[407])).json()
        self.assertEqual(
            body["orders"],
            [
                {"number": "ORD-00008", "status": "shipped", "subtotal": "798.00"},
                {"number": "ORD-00009", "status": "draft", "subtotal": "0.00"},
            ],
        )

    def test_customer_without_orders_gets_empty_list(self):
        body = self.client.get(reverse("orders:customer-orders", args=[406])).json()
        self.assertEqual(body["orders"], [])


class CustomerCreateViewTests(FastFixtureTestCase):
    fixtures = ["customers"]

    def test_get_renders_empty_form(self):
        response = self.client.get(reverse("orders:customer-create"))
        self.assertContains(response, '<input type="email" name="email"')

    def test_valid_post_creates_customer_and_redirects(self):
        response = self.client.post(
            reverse("orders:customer-create"),
            {"email": "Donald@Example.com", "first_name": "donald", "last_name": "knuth"},
        )
        customer = Customer.objects.get(email="donald@example.com")
        self.assertRedirects(response, reverse("orders:customer-orders", args=[customer.pk]))
        self.assertEqual(customer.full_name(), "Donald Knuth")

    def test_duplicate_email_in_other_case_is_rejected(self):
        response = self.client.post(
            reverse("orders:customer-create"),
            {"email": "ADA@example.com", "first_name": "Ada", "last_name": "Byron"},
        )
        self.assertContains(response, "A customer with this email already exists.")
        self.assertEqual(Customer.objects.count(), 7)

    def test_missing_fields_are_reported(self):
        response = self.client.post(reverse("orders:customer-create"), {"email": "x@example.com"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            sorted(response.context["form"].errors), ["first_name", "last_name"]
        )
