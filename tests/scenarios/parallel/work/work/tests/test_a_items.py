from django.test import TestCase

from nose_speedup import FastFixtureTestCase
from work.models import Item, Kind
from work.tests import leave_marker, module_fixture


def setUpModule():
    module_fixture("setUp", __name__)


def tearDownModule():
    module_fixture("tearDown", __name__)


class ItemNamesTests(FastFixtureTestCase):
    fixtures = ["items.json"]

    def test_names(self):
        leave_marker("ItemNamesTests")
        self.assertEqual(sorted(Item.objects.values_list("name", flat=True)), ["hammer", "saw"])

    def test_kinds_from_the_migration(self):
        self.assertEqual(Kind.objects.count(), 2)

    def test_fails(self):
        print("printed before failing")
        self.assertEqual(Item.objects.count(), 5)


class ItemWritesTests(FastFixtureTestCase):
    fixtures = ["items.json"]

    def test_write_is_rolled_back(self):
        Item.objects.create(name="nail")
        self.assertEqual(Item.objects.count(), 3)

    def test_errors(self):
        raise ValueError("an erroring test")

    def test_prints(self):
        print("printed by a test")


class MoreItemsTests(FastFixtureTestCase):
    fixtures = ["more.json"]

    def test_only_the_drill(self):
        self.assertEqual(list(Item.objects.values_list("name", flat=True)), ["drill"])
        self.assertEqual(Kind.objects.count(), 2)

    def test_subtests(self):
        for number in (1, 2):
            with self.subTest(number=number):
                self.assertEqual(number, 1)


class PlainTests(TestCase):
    def test_kinds(self):
        self.assertEqual(Kind.objects.count(), 2)

    def test_skipped(self):
        self.skipTest("skipped on purpose")
