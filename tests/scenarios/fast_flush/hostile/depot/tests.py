"""TransactionTestCase classes a hostile project writes. Classes run in name
order (both runners sort them); each test's state after Django's teardown is
recorded by depot/state.py, in both databases."""
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models.signals import post_migrate
from django.test import TransactionTestCase

from depot import state
from depot.models import Crate, Guarded, Held, Holder, Legacy, Node, Ruled, Strict, Watched

RUNTIME_TABLE = "CREATE TABLE runtime_made (id integer PRIMARY KEY, note varchar(20))"


class Recording:
    """Records its databases after Django's teardown (its flush included)."""

    def _post_teardown(self):
        try:
            super()._post_teardown()
        finally:
            aliases = connections if self.databases == "__all__" else self.databases
            state.record(self.id(), aliases)


def nodes(using):
    """Rows pointing at each other: a chain, and a cycle of two."""
    root = Node.objects.using(using).create(name="root")
    child = Node.objects.using(using).create(name="child", parent=root)
    Node.objects.using(using).create(name="grandchild", parent=child)
    first = Node.objects.using(using).create(name="first")
    second = Node.objects.using(using).create(name="second", parent=first)
    first.parent = second
    first.save(using=using)


class AAllDatabasesTests(Recording, TransactionTestCase):
    databases = "__all__"

    def test_a_fills_both_databases(self):
        for alias in ("default", "other"):
            nodes(alias)
            Crate.objects.using(alias).create(label=f"made in {alias}")
            Legacy.objects.using(alias).create(id=2, code="written by a test")

    def test_b_both_databases_were_flushed(self):
        for alias in ("default", "other"):
            self.assertFalse(Node.objects.using(alias).exists())
            self.assertFalse(Crate.objects.using(alias).exists())  # migrations' row too
            self.assertTrue(ContentType.objects.using(alias).exists())  # post_migrate ran
            # Never listed by Django's flush: an unmanaged model's rows stay.
            self.assertEqual(Legacy.objects.using(alias).count(), 2)


class BRuntimeTableTests(Recording, TransactionTestCase):
    def test_a_creates_a_table_and_leaves_rows_in_it(self):
        with connections["default"].cursor() as cursor:
            cursor.execute(RUNTIME_TABLE)
            cursor.execute("INSERT INTO runtime_made (id, note) VALUES (1, 'left behind')")
        Crate.objects.create(label="beside it")

    def test_b_sees_the_rows_left_in_it(self):
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM runtime_made")
            self.assertEqual(cursor.fetchone()[0], 1)
            cursor.execute("INSERT INTO runtime_made (id, note) VALUES (2, 'again')")
        self.assertFalse(Crate.objects.exists())


class CSelfReferenceTests(Recording, TransactionTestCase):
    def test_a_rows_referencing_each_other(self):
        nodes("default")

    def test_b_none_left(self):
        self.assertFalse(Node.objects.exists())
        nodes("default")


class DAvailableAppsTests(Recording, TransactionTestCase):
    databases = "__all__"
    available_apps = ["depot"]
    reset_sequences = True

    def test_a_first_ids(self):
        for alias in ("default", "other"):
            self.assertEqual(Crate.objects.using(alias).create(label="a").pk, 1)
            nodes(alias)

    def test_b_again(self):
        for alias in ("default", "other"):
            self.assertFalse(Crate.objects.using(alias).exists())
            self.assertEqual(Node.objects.using(alias).create(name="n").pk, 1)


class A0SerializedRollbackTests(Recording, TransactionTestCase):
    # First (A0): Django loads the serialized rows back over what the flush
    # left, which post_migrate refills; nor can it with available_apps.
    databases = "__all__"
    reset_sequences = True
    serialized_rollback = True

    def test_a_migrations_rows_and_first_ids(self):
        for alias in ("default", "other"):
            self.assertEqual(list(Crate.objects.using(alias).values_list("label", flat=True)),
                             ["seeded"])
            Crate.objects.using(alias).create(label="a")  # PostgreSQL: pk 1 again, an error
            nodes(alias)

    def test_b_again(self):
        # Whether the serialized rows are back depends on the Django version
        # (5.2 loads them once per class): the recorded states compare it.
        for alias in ("default", "other"):
            self.assertEqual(Node.objects.using(alias).create(name="n").pk, 1)


class EAfterwardsTests(Recording, TransactionTestCase):
    databases = "__all__"

    def test_a_what_is_left(self):
        for alias in ("default", "other"):
            Crate.objects.using(alias).create(label="e")
            Node.objects.using(alias).create(name="e")


class FDeleteTrapsTests(Recording, TransactionTestCase):
    """What tells a DELETE from Django's TRUNCATE (set on PostgreSQL by
    migration 0002): the fast flush must truncate these tables, and may
    delete from the plain ones beside them."""

    def test_a_fills_the_traps(self):
        Watched.objects.create(name="watched")
        Ruled.objects.create(name="ruled")
        Holder.objects.create(held=Held.objects.create(name="held"))
        first = Strict.objects.create()
        first.parent = Strict.objects.create(parent=first)
        first.save()
        Guarded.objects.create(name="guarded")
        Crate.objects.create(label="plain")
        nodes("default")

    def test_b_all_emptied_and_ids_go_on(self):
        for model in (Watched, Ruled, Held, Holder, Strict, Guarded, Crate, Node):
            self.assertFalse(model.objects.exists(), model)
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM depot_journal")
            self.assertEqual(cursor.fetchone()[0], 0)
        # Neither flush resets a sequence: the ids go on from test_a's.
        self.assertGreater(Crate.objects.create(label="again").pk, 1)
        self.assertGreater(Watched.objects.create(name="again").pk, 1)


def crate_after_migrate(sender, using, **kwargs):
    if sender.label == "depot":
        Crate.objects.using(using).create(label="post_migrate")


class GReceiverTests(Recording, TransactionTestCase):
    """A post_migrate receiver of the project's own: the flush runs every
    receiver (the fast flush may replay contenttypes' and auth's rows only
    when theirs are the only ones)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        post_migrate.connect(crate_after_migrate)

    @classmethod
    def tearDownClass(cls):
        post_migrate.disconnect(crate_after_migrate)
        super().tearDownClass()

    def test_a_nothing(self):
        pass

    def test_b_the_receiver_ran(self):
        self.assertEqual(list(Crate.objects.values_list("label", flat=True)), ["post_migrate"])
