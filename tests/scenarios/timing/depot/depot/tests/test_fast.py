"""FastFixtureTestCase classes: three bundles and one class alone."""

from depot.models import Item, Supplier

from nose_speedup import FastFixtureTestCase


class ItemsOneTests(FastFixtureTestCase):
    fixtures = ['items.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 0))

    def test_1(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 0))

    def test_2(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 0))


class ItemsTwoTests(FastFixtureTestCase):
    fixtures = ['items.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 0))

    def test_1(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 0))


class ItemsThreeTests(FastFixtureTestCase):
    fixtures = ['items.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 0))

    def test_1(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 0))


class SuppliersOneTests(FastFixtureTestCase):
    fixtures = ['suppliers.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (0, 3))

    def test_1(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (0, 3))


class SuppliersTwoTests(FastFixtureTestCase):
    fixtures = ['suppliers.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (0, 3))

    def test_1(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (0, 3))

    def test_2(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (0, 3))


class BothOneTests(FastFixtureTestCase):
    fixtures = ['items.json', 'suppliers.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 3))

    def test_1(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 3))


class BothTwoTests(FastFixtureTestCase):
    fixtures = ['items.json', 'suppliers.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 3))

    def test_1(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (4, 3))


class ExtraAloneTests(FastFixtureTestCase):
    fixtures = ['extra.json']

    def test_0(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (1, 0))

    def test_1(self):
        self.assertEqual((Item.objects.count(), Supplier.objects.count()), (1, 0))
