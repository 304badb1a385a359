from django.test import TestCase

from exact.models import Customer, Event


class D_PlainTests(TestCase):
    def test_sees_no_fixture_rows(self):
        self.assertEqual((Customer.objects.count(), Event.objects.count()), (0, 0))
