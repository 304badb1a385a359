"""TransactionTestCase classes writing rows the test user cannot read back.
Each second test writes the same unique code as the first: it passes only
if the flush between them emptied the table, as Django's TRUNCATE does."""
from django.db import connection
from django.test import TransactionTestCase


def execute(*statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class ASecretTests(TransactionTestCase):
    """Row-level security hides every row from the test user (and from a
    probe that reads as it)."""

    def test_a_writes_a_hidden_row(self):
        execute("INSERT INTO vault_secret (code) VALUES ('one')")

    def test_b_writes_it_again(self):
        execute("INSERT INTO vault_secret (code) VALUES ('one')")


class BSealedTests(TransactionTestCase):
    """The test user may write the table, not read it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        execute("REVOKE SELECT ON vault_sealed FROM CURRENT_USER")

    @classmethod
    def tearDownClass(cls):
        execute("GRANT SELECT ON vault_sealed TO CURRENT_USER")
        super().tearDownClass()

    def test_a_writes_an_unreadable_row(self):
        execute("INSERT INTO vault_sealed (code) VALUES ('one')")

    def test_b_writes_it_again(self):
        execute("INSERT INTO vault_sealed (code) VALUES ('one')")


class CNoTruncateTests(TransactionTestCase):
    """The test user may not TRUNCATE an empty table: Django's flush fails
    after each test here, and so must the fast one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        execute("REVOKE TRUNCATE ON vault_sealed FROM CURRENT_USER")

    @classmethod
    def tearDownClass(cls):
        execute("GRANT TRUNCATE ON vault_sealed TO CURRENT_USER")
        super().tearDownClass()

    def test_a_nothing_written(self):
        pass


class DAfterwardsTests(TransactionTestCase):
    def test_a_secret_again(self):
        execute("INSERT INTO vault_secret (code) VALUES ('one')")
