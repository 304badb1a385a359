"""Module fixtures, with p3_b, p3_c and p3_d: each module's classes join
bundles with the other modules' classes. Each fixture logs itself and
whether a transaction was open."""

from django.db import connection

from exact.models import Customer, Event
from exact.tests import CUSTOMERS, EVENTS, Base, log


def setUpModule():
    log(f"p3_a setUpModule in_atomic_block={connection.in_atomic_block}")


def tearDownModule():
    log(f"p3_a tearDownModule in_atomic_block={connection.in_atomic_block}")


class A1_CustomerTests(Base):
    fixtures = CUSTOMERS

    def test_rows(self):
        self.assertEqual(Customer.objects.count(), 3)


class A2_EventTests(Base):
    fixtures = EVENTS

    def test_rows(self):
        self.assertEqual(Event.objects.count(), 1)
