"""hstore comes back as a dict (contrib.postgres registered its type on this
connection) and citext compares without case, in a TestCase and in a
TransactionTestCase (which makes the next REUSE_DB run restore a table)."""
from django.test import TestCase, TransactionTestCase

from pgextras.models import Tagged


class TypesTests(TestCase):
    def test_hstore_and_citext_work(self):
        seeded = Tagged.objects.get(label="SEEDED")
        self.assertEqual(seeded.tags, {"seeded": "yes"})
        Tagged.objects.create(tags={"a": "1"}, label="Second")
        self.assertEqual(Tagged.objects.get(label="second").tags, {"a": "1"})


class CommittingTypesTests(TransactionTestCase):
    def test_hstore_rows_commit(self):
        Tagged.objects.create(tags={"b": "2"}, label="Committed")
        self.assertEqual(Tagged.objects.get(label="COMMITTED").tags, {"b": "2"})
