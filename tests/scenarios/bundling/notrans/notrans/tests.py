from nose_speedup import FastFixtureTestCase
from notrans.models import Customer


class FirstTests(FastFixtureTestCase):
    fixtures = ["customers.json"]

    def test_fixture_rows_are_there(self):
        self.assertEqual(Customer.objects.count(), 1)
        Customer.objects.create(name="first")

    def test_rows_of_the_other_test_were_flushed(self):
        self.assertEqual(Customer.objects.count(), 1)


class SecondTests(FastFixtureTestCase):
    fixtures = ["customers.json"]

    def test_fixture_rows_are_there(self):
        self.assertEqual(list(Customer.objects.values_list("name", flat=True)), ["ada"])
