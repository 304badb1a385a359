from django.db import connection

from exact.models import Customer, Event
from exact.tests import CUSTOMERS, EVENTS, Base, log


def setUpModule():
    log(f"p3_b setUpModule in_atomic_block={connection.in_atomic_block}")


def tearDownModule():
    log(f"p3_b tearDownModule in_atomic_block={connection.in_atomic_block}")


class B1_CustomerTests(Base):
    fixtures = CUSTOMERS

    def test_rows(self):
        self.assertEqual(Customer.objects.count(), 3)


class B2_EventTests(Base):
    fixtures = EVENTS

    def test_rows(self):
        self.assertEqual(Event.objects.count(), 1)
