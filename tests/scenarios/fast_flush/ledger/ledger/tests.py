"""TransactionTestCase classes whose end states the fast flush must keep.
Classes run in name order (both runners sort them); each test's state after
Django's teardown is recorded by ledger/state.py."""
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TransactionTestCase

from ledger import state
from ledger.models import Account, Audit, Entry, Setting, Tag
from notes.models import Note

TRIGGER = {
    "postgresql": [
        "CREATE FUNCTION ledger_audit_truncate() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN INSERT INTO ledger_audit(note) VALUES ('truncated'); RETURN NULL; END $$",
        "CREATE TRIGGER ledger_entry_audit AFTER TRUNCATE ON ledger_entry "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_audit_truncate()",
    ],
    "sqlite": [
        "CREATE TRIGGER ledger_entry_audit AFTER DELETE ON ledger_entry "
        "BEGIN INSERT INTO ledger_audit(note) VALUES ('deleted'); END",
    ],
    "mysql": [
        "CREATE TRIGGER ledger_entry_audit AFTER DELETE ON ledger_entry "
        "FOR EACH ROW INSERT INTO ledger_audit(note) VALUES ('deleted')",
    ],
}
DROP_TRIGGER = {
    "postgresql": ["DROP TRIGGER ledger_entry_audit ON ledger_entry",
                   "DROP FUNCTION ledger_audit_truncate()"],
    "sqlite": ["DROP TRIGGER ledger_entry_audit"],
    "mysql": ["DROP TRIGGER ledger_entry_audit"],
}
OUTSIDE_TABLE = {
    "postgresql": "CREATE TABLE outside_ref (id integer PRIMARY KEY, "
                  "account_id integer REFERENCES ledger_account(id))",
    "sqlite": "CREATE TABLE outside_ref (id integer PRIMARY KEY, account_id integer "
              "REFERENCES ledger_account(id) DEFERRABLE INITIALLY DEFERRED)",
    "mysql": "CREATE TABLE outside_ref (id integer PRIMARY KEY, account_id integer, "
             "FOREIGN KEY (account_id) REFERENCES ledger_account(id))",
}


def execute(*statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Recording:
    """Records the database after Django's teardown (its flush included),
    and which process starts the class."""

    @classmethod
    def setUpClass(cls):
        state.record_class(f"{cls.__module__}.{cls.__qualname__}")
        super().setUpClass()

    def _post_teardown(self):
        try:
            super()._post_teardown()
        finally:
            state.record(self.id())


class APlainTests(Recording, TransactionTestCase):
    def test_a_fills_tables(self):
        account = Account.objects.create(name="a")
        entry = Entry.objects.create(account=account, amount=3)
        entry.tags.add(Tag.objects.create(label="t"))
        User.objects.create(username="u")
        Note.objects.create(account=account, text="n")
        self.assertEqual(Entry.objects.count(), 1)

    def test_b_sees_post_migrate_rows_and_no_others(self):
        self.assertTrue(ContentType.objects.filter(app_label="ledger", model="account").exists())
        self.assertTrue(Permission.objects.filter(codename="add_account").exists())
        self.assertFalse(Account.objects.exists())
        self.assertFalse(User.objects.exists())
        self.assertFalse(Setting.objects.exists())  # Django's flush empties migrations' rows

    def test_c_fails_when_rows_of_an_earlier_test_survive(self):
        Tag.objects.create(label="c")
        self.assertTrue(Account.objects.exists(), "fails on purpose: the flush emptied it")

    def test_d_sequences_are_not_reset(self):
        self.assertGreater(Account.objects.create(name="d").pk, 1)


class BAvailableAppsTests(Recording, TransactionTestCase):
    available_apps = ["ledger"]

    def test_a_note_outside_references_an_account(self):
        account = Account.objects.create(name="x")
        Note.objects.create(account=account, text="cascaded")
        Note.objects.create(account=None, text="free")
        Entry.objects.create(account=account, amount=1)

    def test_b_sees_no_ledger_rows(self):
        self.assertFalse(Account.objects.exists())


class A0SerializedRollbackTests(Recording, TransactionTestCase):
    serialized_rollback = True

    def test_a_migration_rows_restored(self):
        self.assertEqual(set(Setting.objects.values_list("key", flat=True)),
                         {"currency", "locale"})
        Setting.objects.create(key="extra")

    def test_b_migration_rows_restored_again(self):
        self.assertEqual(Setting.objects.count(), 2)


class DResetSequencesTests(Recording, TransactionTestCase):
    reset_sequences = True

    def test_a_first_pk_is_one(self):
        self.assertEqual(Account.objects.create(name="r").pk, 1)

    def test_b_first_pk_is_one_again(self):
        self.assertEqual(Account.objects.create(name="r").pk, 1)


class ETriggerTests(Recording, TransactionTestCase):
    """Django's flush fires this trigger; the fast flush must hand over."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        execute(*TRIGGER[connection.vendor])

    @classmethod
    def tearDownClass(cls):
        execute(*DROP_TRIGGER[connection.vendor])
        super().tearDownClass()

    def test_a_account_only(self):
        Account.objects.create(name="t")

    def test_b_entries(self):
        account = Account.objects.create(name="t")
        Entry.objects.create(account=account, amount=1)
        Entry.objects.create(account=account, amount=2)

    def test_c_audit_seen(self):
        self.assertIsNotNone(Audit.objects.count())


class FOutsideReferenceTests(Recording, TransactionTestCase):
    """A table Django does not flush references ledger_account: PostgreSQL's
    TRUNCATE fails, so Django's flush errors there, and so must this."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        execute(OUTSIDE_TABLE[connection.vendor])

    @classmethod
    def tearDownClass(cls):
        execute("DROP TABLE outside_ref")
        super().tearDownClass()

    def test_a_account(self):
        Account.objects.create(name="o")


class GAfterwardsTests(Recording, TransactionTestCase):
    def test_a_everything_flushed(self):
        Account.objects.create(name="g")

    def test_b_content_types_cached_as_post_migrate_leaves_them(self):
        # post_migrate's last handler (create_permissions for notes, the last
        # app) leaves the content types of the notes app cached.
        with self.assertNumQueries(0):
            ContentType.objects.get_for_model(Note)
        with self.assertNumQueries(1):
            ContentType.objects.get_for_model(Account)
