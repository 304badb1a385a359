"""TestCase tests that commit behind Django's back, and a plain test that
changes rows without changing their number: the next REUSE_DB=1 run must
still start from the pristine database (tests/test_reuse_hostile.py)."""
import unittest

from django.db import connection, connections
from django.test import TestCase

from shop.models import Item


class ImplicitCommitTests(TestCase):
    def test_ddl_in_a_test_case(self):
        """MariaDB/MySQL commit the open transaction before DDL: the row too."""
        Item.objects.create(name="Committed by the DDL's implicit commit")
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE hostile_made (id integer)")


class SecondConnectionTests(TestCase):
    def test_writes_through_a_second_connection(self):
        second = connections.create_connection("default")
        try:
            with second.cursor() as cursor:  # in autocommit: committed at once
                cursor.execute("INSERT INTO shop_item (name) VALUES ('Second connection')")
        finally:
            second.close()


class SwappedRowsTests(unittest.TestCase):
    def test_swaps_the_names_of_two_rows(self):
        """The same number of rows, the same names, other ids."""
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE shop_item SET name = CASE name WHEN 'Made by post_migrate' "
                "THEN 'Seeded by a migration' ELSE 'Made by post_migrate' END"
            )
