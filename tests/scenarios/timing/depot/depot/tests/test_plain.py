"""Plain django.test.TestCase classes sharing fixtures: what the advisor finds."""

from django.test import SimpleTestCase, TestCase, TransactionTestCase

from depot.models import Item, Supplier

from .base import ProjectTestCase


class PlainItemsOneTests(ProjectTestCase):
    fixtures = ['items.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 0))

    def test_1(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 0))


class PlainItemsTwoTests(ProjectTestCase):
    fixtures = ['items.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 0))

    def test_1(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 0))


class PlainItemsThreeTests(ProjectTestCase):
    fixtures = ['items.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 0))


class PlainSuppliersOneTests(TestCase):
    fixtures = ['suppliers.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (0, 3))


class PlainSuppliersTwoTests(TestCase):
    fixtures = ['suppliers.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (0, 3))

    def test_1(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (0, 3))


class PlainExtraAloneTests(TestCase):
    fixtures = ['extra.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (1, 0))


class TransactionItemsTests(TransactionTestCase):
    fixtures = ['items.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 0))


class SimpleTests(SimpleTestCase):
    def test_arithmetic(self):
        self.assertEqual(1 + 1, 2)
