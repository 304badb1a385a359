"""A test closes the connection in the middle of a bundle."""

from django.db import close_old_connections, connection

from exact.models import Customer
from exact.tests import CUSTOMERS, Base


class A_ClosesTests(Base):
    fixtures = CUSTOMERS

    def test_a_closes_the_connection(self):
        connection.close()

    def test_b_after_the_close(self):
        self.assertEqual(Customer.objects.count(), 3)


class B_ClosesOldConnectionsTests(Base):
    fixtures = CUSTOMERS

    def test_a_rows_then_close_old_connections(self):
        self.assertEqual(Customer.objects.count(), 3)
        close_old_connections()


class C_AfterTests(Base):
    fixtures = CUSTOMERS

    def test_fixture_rows_and_writes_work(self):
        Customer.objects.create(name="new")
        self.assertEqual(Customer.objects.count(), 4)
