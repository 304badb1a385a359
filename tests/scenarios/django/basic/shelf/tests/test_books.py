import unittest

from django.test import SimpleTestCase, TestCase, TransactionTestCase, skipUnlessDBFeature

from shelf.models import Book


class BookFixtureTests(TestCase):
    fixtures = ["books.json"]

    def test_fixture_rows_and_migration_row(self):
        self.assertEqual(Book.objects.count(), 3)

    def test_is_long(self):
        self.assertTrue(Book.objects.get(pk=100).is_long())

    def test_fails(self):
        self.assertEqual(Book.objects.get(pk=101).pages, 999)

    def test_errors(self):
        Book.objects.get(pk=12345)

    @unittest.skip("shows a skip")
    def test_skipped(self):
        pass

    def test_writes_are_rolled_back(self):
        Book.objects.all().delete()
        self.assertEqual(Book.objects.count(), 0)


class OtherDatabaseTests(TestCase):
    databases = {"default", "other"}

    def test_other_alias_is_migrated(self):
        Book.objects.using("other").create(title="Elsewhere")
        self.assertEqual(Book.objects.using("other").filter(title="Elsewhere").count(), 1)


class BrokenSetUpClassTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        raise RuntimeError("setUpTestData broke")

    def test_never_runs(self):
        pass


class FlushingTests(TransactionTestCase):
    def test_commits_a_row_that_the_flush_removes(self):
        Book.objects.create(title="Committed")
        self.assertTrue(Book.objects.filter(title="Committed").exists())


class PureTests(SimpleTestCase):
    def test_arithmetic(self):
        self.assertEqual(2 + 2, 4)


class PlainUnittestTests(unittest.TestCase):
    def test_plain(self):
        self.assertTrue(True)


@skipUnlessDBFeature("supports_json_field")
class FeatureGatedTests(TestCase):
    """Its skip condition asks the database; it must be evaluated only on
    the test database, never during discovery against the real one."""

    def test_runs_where_the_feature_exists(self):
        self.assertTrue(Book.objects.exists())
