"""The sign-up form against existing customers, and URL wiring."""

from django.test import SimpleTestCase
from django.urls import resolve, reverse

from nose_speedup import FastFixtureTestCase
from orders import views
from orders.forms import CustomerForm
from orders.models import Customer


class CustomerFormTests(FastFixtureTestCase):
    fixtures = ["customers"]

    def form(self, instance=None, **overrides):
        data = {"email": "new@example.com", "first_name": "New", "last_name": "Person"}
        data.update(overrides)
        return CustomerForm(data, instance=instance)

    def test_new_email_is_valid(self):
        self.assertTrue(self.form().is_valid())

    def test_email_is_lowercased(self):
        form = self.form(email="  New@Example.COM ")
        self.assertTrue(form.is_valid())
        self.assertEqual(form.cleaned_data["email"], "new@example.com")

    def test_existing_email_is_rejected_whatever_its_case(self):
        for email in ("grace@example.com", "Grace@Example.com"):
            with self.subTest(email=email):
                form = self.form(email=email)
                self.assertFalse(form.is_valid())
                self.assertIn("email", form.errors)

    def test_editing_customer_keeps_own_email(self):
        grace = Customer.objects.get(pk=402)
        form = self.form(instance=grace, email="grace@example.com", first_name="Grace")
        self.assertTrue(form.is_valid())

    def test_names_are_title_cased(self):
        form = self.form(first_name=" barbara ", last_name="liskov")
        self.assertTrue(form.is_valid())
        names = (form.cleaned_data["first_name"], form.cleaned_data["last_name"])
        self.assertEqual(names, ("Barbara", "Liskov"))

    def test_saving_does_not_make_a_vip(self):
        customer = self.form().save()
        self.assertFalse(Customer.objects.get(pk=customer.pk).is_vip)


class OrderUrlTests(SimpleTestCase):
    def test_order_detail_url(self):
        self.assertEqual(reverse("orders:order-detail", args=["ORD-00001"]), "/orders/ORD-00001/")

    def test_customer_create_is_not_taken_for_an_order_number(self):
        self.assertIs(resolve("/orders/customers/new/").func, views.customer_create)

    def test_customer_orders_url_takes_integer_pk(self):
        match = resolve("/orders/customers/401/orders/")
        self.assertEqual(match.kwargs, {"pk": 401})
        self.assertEqual(match.url_name, "customer-orders")
