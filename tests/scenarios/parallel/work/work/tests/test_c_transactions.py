from django.test import TransactionTestCase

from work.models import Item, Kind
from work.tests import module_fixture


def setUpModule():
    module_fixture("setUp", __name__)


def tearDownModule():
    module_fixture("tearDown", __name__)


class FlushingTests(TransactionTestCase):
    """Flushes the database after each test, deleting the migration's Kind
    rows: a TestCase that ran after it on the same database would fail."""

    def test_one(self):
        Item.objects.create(name="committed")
        self.assertEqual(Item.objects.count(), 1)

    def test_two(self):
        self.assertEqual(Item.objects.count(), 0)

    def test_three(self):
        Kind.objects.create(name="extra")

    def test_four(self):
        self.assertEqual(Kind.objects.count(), 0)

    def test_five(self):
        self.assertEqual(Item.objects.count(), 0)
