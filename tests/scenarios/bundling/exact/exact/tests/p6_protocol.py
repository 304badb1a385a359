"""What each class of a bundle is told, logged next to the fixture loads:
a class skipped first, one whose test closes the connection, one that
raises SkipTest before super() last."""

import unittest

from django.db import connection

from exact.models import Customer
from exact.tests import CUSTOMERS, Base, log


class Told(Base):
    fixtures = CUSTOMERS

    @classmethod
    def setUpClass(cls):
        log(f"{cls.__name__} sets_up_fixture_bundle={cls.sets_up_fixture_bundle}")
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        log(f"{cls.__name__} tears_down_fixture_bundle={cls.tears_down_fixture_bundle} "
            f"in_atomic_block={connection.in_atomic_block}")

    def test_fixture_rows(self):
        self.assertEqual(Customer.objects.count(), 3)


@unittest.skip("skipped first")
class A_SkippedTests(Told):
    pass


class B_Tests(Told):
    pass


class C_ClosesTests(Told):
    def test_zz_closes_the_connection(self):
        connection.close()


class D_Tests(Told):
    pass


class E_SkipsBeforeSuperTests(Told):
    @classmethod
    def setUpClass(cls):
        log(f"{cls.__name__} sets_up_fixture_bundle={cls.sets_up_fixture_bundle} "
            f"tears_down_fixture_bundle={cls.tears_down_fixture_bundle}")
        raise unittest.SkipTest("skipped before super()")


del Told
