"""The database router, without any database."""

from django.test import SimpleTestCase

from audit.models import AuditEntry
from catalog.models import Product
from testproject.routers import ArchiveRouter


class ArchiveRouterTests(SimpleTestCase):
    def setUp(self):
        self.router = ArchiveRouter()

    def test_audit_reads_and_writes_go_to_archive(self):
        self.assertEqual(self.router.db_for_read(AuditEntry), "archive")
        self.assertEqual(self.router.db_for_write(AuditEntry), "archive")

    def test_other_apps_stay_on_default(self):
        self.assertEqual(self.router.db_for_read(Product), "default")
        self.assertEqual(self.router.db_for_write(Product), "default")

    def test_audit_migrates_only_on_archive(self):
        self.assertTrue(self.router.allow_migrate("archive", "audit"))
        self.assertFalse(self.router.allow_migrate("default", "audit"))

    def test_other_apps_never_migrate_on_archive(self):
        for app_label in ("catalog", "orders", "auth", "contenttypes", "sessions", "admin"):
            with self.subTest(app_label=app_label):
                self.assertFalse(self.router.allow_migrate("archive", app_label))
                self.assertTrue(self.router.allow_migrate("default", app_label))

    def test_relations_within_one_database_are_allowed(self):
        self.assertTrue(self.router.allow_relation(Product(), Product()))
        self.assertTrue(self.router.allow_relation(AuditEntry(), AuditEntry()))

    def test_relations_across_databases_are_refused(self):
        self.assertFalse(self.router.allow_relation(Product(), AuditEntry()))
