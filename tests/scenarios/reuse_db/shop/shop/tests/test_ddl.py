"""Commits DDL outside any transaction (a plain unittest test on Django's
connection, in autocommit): a NOT NULL column without default on an empty
table, which makes every later insert into it fail."""
import unittest

from django.db import connection


class CommittedDDLTests(unittest.TestCase):
    def test_adds_a_not_null_column(self):
        # SQLite refuses NOT NULL without a default even on an empty table.
        default = " DEFAULT 0" if connection.vendor == "sqlite" else ""
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE auth_group ADD COLUMN extra INTEGER NOT NULL{default}")
