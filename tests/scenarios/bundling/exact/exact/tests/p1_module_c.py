from django.test import TestCase

from exact.models import Customer, Event
from exact.tests import EVENTS, Base


class C_PlainTests(TestCase):
    def test_sees_no_fixture_rows(self):
        self.assertEqual(Customer.objects.count(), 0)


class D_NextBundleTests(Base):
    fixtures = EVENTS

    def test_own_fixtures_only(self):
        self.assertEqual((Event.objects.count(), Customer.objects.count()), (1, 0))


class E_NextBundleTests(Base):
    fixtures = EVENTS

    def test_own_fixtures_only(self):
        self.assertEqual((Event.objects.count(), Customer.objects.count()), (1, 0))
