"""The last class of a bundle raises SkipTest in its setUpClass, before
super(): it never gets to tear its bundle down."""

import unittest

from django.test import TestCase

from exact.models import Customer, Event
from exact.tests import CUSTOMERS, EVENTS, Base


class A_FirstTests(Base):
    fixtures = CUSTOMERS

    def test_fixture_rows(self):
        self.assertEqual(Customer.objects.count(), 3)


class B_LastSkipsBeforeSuperTests(Base):
    fixtures = CUSTOMERS

    @classmethod
    def setUpClass(cls):
        raise unittest.SkipTest("skipped before super()")

    def test_never_runs(self):
        raise AssertionError("a skipped class ran")


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
