"""The fast flush probes (``nose_speedup.vendors.probe_base`` and each
vendor's ``probe``) on the database
``NOSE_SPEEDUP_TEST_DB`` selects, called directly: which of the listed
tables the one probe query proves empty and which it finds holding rows
(across query chunks too), which tables a cascading flush reaches, that the
flush statements empty the listed tables and no other, and, on PostgreSQL,
the references that send the flush back to Django.

Left to the tests of the helpers reworking them: the decisions about
triggers, row-level security and ``DELETE`` instead of ``TRUNCATE``."""

import pytest

from nose_speedup.vendors import probe_base as probes
from tests.support.databases import selected_backend
from tests.support.unit_database import run_on_database

CHECKS = """
from django.db import transaction
from nose_speedup import vendors
from nose_speedup.vendors import probe_base as probes

def fallback_of(call, *args):
    try:
        call(*args)
    except probes.Fallback as error:
        return str(error)
    return None

result = r = {}
Parent = make_model("unit_parent", name=models.CharField(max_length=20))
Child = make_model("unit_child", parent=models.ForeignKey(Parent, models.CASCADE))
Others = [make_model(f"unit_other{number}", n=models.IntegerField()) for number in range(4)]
probe = vendors.for_connection(connection).flush_probe()
r["class"] = type(probe).__name__
TABLES = ["unit_parent", "unit_child", "unit_other0", "unit_other1", "unit_other2",
          "unit_other3"]
r["all empty"] = probe.non_empty(TABLES, True)
r["no tables"] = probe.non_empty([], True)
Others[3].objects.create(n=3)
Others[1].objects.create(n=1)
parent = Parent.objects.create(name="p")
r["holding rows"] = probe.non_empty(TABLES, True)
probes.BRANCHES_PER_QUERY = 2
r["holding rows, two per query"] = probe.non_empty(TABLES, True)
probes.BRANCHES_PER_QUERY = 400
r["closure of the parent"] = probe.cascade_closure(["unit_parent"])
r["closure of the child"] = probe.cascade_closure(["unit_child"])
Child.objects.create(parent=parent)
r["referenced from outside the list"] = fallback_of(probe.non_empty, ["unit_parent"], False)
r["referenced from inside the list"] = fallback_of(
    probe.non_empty, ["unit_parent", "unit_child"], False)
r["referenced with cascade"] = fallback_of(probe.non_empty, ["unit_parent"], True)
with transaction.atomic(), connection.cursor() as cursor:
    for statement in probe.flush_sql(["unit_child", "unit_parent", "unit_other1"]):
        cursor.execute(statement)
r["after the flush"] = probe.non_empty(TABLES, True)
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA unit_hidden")
        cursor.execute("CREATE TABLE unit_hidden.notes (parent_id bigint REFERENCES unit_parent)")
    r["referenced from another schema"] = fallback_of(probe.cascade_closure, ["unit_parent"])
"""


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    return run_on_database(CHECKS, "probes", tmp_path_factory.mktemp("probes"))


CLASSES = {"sqlite": "SQLiteProbe", "postgresql": "PostgreSQLProbe", "mariadb": "MySQLProbe"}


def test_the_connections_vendor_picks_its_probe(seen):
    assert seen["class"] == CLASSES[selected_backend()]


def test_empty_tables_are_proven_empty(seen):
    assert seen["all empty"] == [] and seen["no tables"] == []


def test_the_tables_holding_rows_are_found_in_list_order(seen):
    assert seen["holding rows"] == ["unit_parent", "unit_other1", "unit_other3"]


def test_a_probe_split_over_several_queries_finds_the_same_tables(seen):
    assert seen["holding rows, two per query"] == seen["holding rows"]


def test_the_flush_statements_empty_the_listed_tables_and_no_other(seen):
    assert seen["after the flush"] == ["unit_other3"]


def test_a_referencing_table_inside_the_list_sends_nothing_back_to_django(seen):
    assert seen["referenced from inside the list"] is None
    assert seen["referenced with cascade"] is None


def test_the_closure_of_a_table_referencing_nothing_is_itself(seen):
    assert seen["closure of the child"] == ["unit_child"]


if selected_backend() == "mariadb":

    def test_nothing_cascades_on_mariadb(seen):
        # Django's flush turns foreign key checks off instead.
        assert seen["closure of the parent"] == ["unit_parent"]
        assert seen["referenced from outside the list"] is None

else:

    def test_a_cascading_flush_reaches_the_tables_referencing_the_listed_ones(seen):
        assert seen["closure of the parent"] == ["unit_parent", "unit_child"]


if selected_backend() == "postgresql":

    def test_a_table_outside_the_list_referencing_one_in_it_sends_the_flush_to_django(seen):
        assert seen["referenced from outside the list"] == probes.OUTSIDE_REFERENCE

    def test_a_reference_from_a_schema_off_the_search_path_sends_the_flush_to_django(seen):
        assert seen["referenced from another schema"] == probes.OTHER_SCHEMA

