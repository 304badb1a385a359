"""The per-vendor reuse backends of ``nose_speedup.vendors`` on the
database ``NOSE_SPEEDUP_TEST_DB`` selects, called directly: row signatures,
the structure digest, counters and their reset, the pristine snapshot, the
comparison with a marker, restoring single tables and the whole database,
the checks of the pristine copy, and drop. One subprocess runs every check
on one fresh database (``tests/support/unit_database.py``) and returns what
it saw; the tests read it. ``Comparison``, the vendor choice and where a
kept SQLite database lives are pure.

Left to the tests of the helpers reworking them: the restore's trigger
handling and non-superuser restores on PostgreSQL."""

import types

import pytest

from tests.support.databases import selected_backend
from tests.support.unit_database import run_on_database

CHECKS = """
from django.db import transaction
from nose_speedup import vendors
from nose_speedup.vendors import marker
from nose_speedup.vendors.reuse_base import NotOurs, RestoreImpossible

def error_of(call, *args):
    try:
        call(*args)
    except (NotOurs, RestoreImpossible) as error:
        return f"{type(error).__name__}: {error}"
    return None

result = r = {}
Item = make_model("unit_item", name=models.CharField(max_length=20))
Tag = make_model("unit_tag", label=models.CharField(max_length=20))
backend = vendors.for_connection(connection).reuse_backend()
absent = vendors.for_connection(connections["absent"]).reuse_backend()
r["class"] = type(backend).__name__
r["name"], r["pristine name"] = str(backend.name), str(backend.pristine_name)
r["exists"], r["absent exists"] = backend.exists(), absent.exists()
r["no pristine claimed"] = error_of(backend.claim_pristine, "unit-owner")
marker.create(connection, "unit-owner")
Item.objects.create(name="a")
Item.objects.create(name="b")
TABLES = ["unit_item", "unit_tag"]
r["tables"] = sorted(backend.tables())
r["with rows"] = sorted(backend.tables_with_rows(TABLES))
signature = backend.signature(TABLES)
r["empty signature"] = signature["unit_tag"] == backend.EMPTY
r["filled signature"] = signature["unit_item"] != backend.EMPTY
Item.objects.filter(name="a").update(name="c")
r["value changed: signature changed"] = (
    backend.signature(TABLES)["unit_item"] != signature["unit_item"])
Item.objects.filter(name="c").update(name="a")
r["value back: signature back"] = backend.signature(TABLES) == signature
structure = backend.structure()
Tag.objects.create(label="t").delete()
r["rows leave the structure"] = backend.structure() == structure
with connection.cursor() as cursor:
    cursor.execute("CREATE INDEX unit_item_name_idx ON unit_item (name)")
r["an index changes the structure"] = backend.structure() != structure
with connection.cursor() as cursor:
    on_table = " ON unit_item" if connection.vendor == "mysql" else ""
    cursor.execute("DROP INDEX unit_item_name_idx" + on_table)
r["index dropped: structure back"] = backend.structure() == structure

# Counters: a row inserted and deleted advances them; reset puts them back.
if connection.vendor == "sqlite":  # only AUTOINCREMENT tables have counters
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE unit_counted (id integer PRIMARY KEY AUTOINCREMENT, v text)")
        cursor.execute("INSERT INTO unit_counted (v) VALUES ('first')")
        cursor.execute("DELETE FROM unit_counted")
    Counted = type("unit_counted", (models.Model,), {
        "__module__": "unit.models", "v": models.TextField(),
        "Meta": type("Meta", (), {"app_label": "unit", "db_table": "unit_counted"})})
else:
    Counted = make_model("unit_counted", v=models.TextField())
    Counted.objects.create(v="first").delete()
saved_counters = backend.counters()
r["counters"] = sorted(saved_counters)
row = Counted.objects.create(v="x")
row_id = row.id
row.delete()
r["insert advanced the counters"] = backend.counters() != saved_counters
backend.reset_counters(saved_counters)
r["reset: counters back"] = backend.counters() == saved_counters
r["reset: next id is the deleted row's"] = Counted.objects.create(v="y").id == row_id
Counted.objects.all().delete()
backend.reset_counters(saved_counters)

# The pristine state, its marker and its copy.
state = backend.state()
r["state entries"] = sorted(key for key in state if not key.startswith(marker.COUNTERS + " "))
marker.write(connection, {**state, marker.FINGERPRINT: "f1"})
saved = marker.read(connection)
r["claim before snapshot"] = error_of(backend.claim_pristine, "unit-owner")
backend.snapshot()
r["pristine tables"] = sorted(backend.pristine_contents()[1])
r["claim by owner"] = error_of(backend.claim_pristine, "unit-owner")
r["claim by another"] = error_of(backend.claim_pristine, "someone else")
r["clean compare"] = backend.compare(saved).same

Item.objects.create(name="x")
Tag.objects.create(label="t")
changed = backend.compare(saved)
r["changed tables"], r["changed empty"] = changed.tables, changed.empty
r["changed counters"] = bool(changed.counters)
r["changed exact by tables"] = changed.exact_by_tables
r["changed words"] = changed.words()
backend.restore_tables(changed.tables, saved)
backend.reset_counters(saved.group(marker.COUNTERS))
r["restored tables compare"] = backend.compare(saved).same
r["restored items"] = sorted(Item.objects.values_list("name", flat=True))
r["restored tags"] = Tag.objects.count()

Item.objects.all().delete()
emptied = backend.compare(saved, counters=False)
r["emptied tables"], r["emptied empty"] = emptied.tables, emptied.empty
backend.restore_tables(emptied.tables, saved)
r["refilled items"] = sorted(Item.objects.values_list("name", flat=True))

# A whole restore: rows changed and a table a test created.
Item.objects.filter(name="a").update(name="z")
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE unit_extra (id integer)")
extra = backend.compare(saved)
r["extra table: structure changed"] = extra.structure_changed
r["extra table: exact by tables"] = extra.exact_by_tables
r["extra table words"] = extra.words()
backend.restore(saved)
r["whole restore compare"] = backend.compare(saved).same
r["whole restore tables"] = sorted(backend.tables())
r["whole restore items"] = sorted(Item.objects.values_list("name", flat=True))

other_build = marker.Marker({**saved, marker.FINGERPRINT: "f2"})
r["restore of another build"] = error_of(backend.restore, other_build)
ghost = marker.Marker({**saved, "table unit_ghost": backend.EMPTY})
r["restore lacking a table"] = error_of(backend.restore, ghost)
r["restore without a copy"] = error_of(absent.restore, saved)

with connection.cursor() as cursor:
    cursor.execute("DROP TABLE unit_tag")
dropped = backend.compare(saved)
r["dropped table: same"], r["dropped table: exact"] = dropped.same, dropped.exact_by_tables

backend.drop()
r["exists after drop"] = backend.exists()
r["pristine after drop"] = list(backend.pristine_contents())
"""


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    return run_on_database(CHECKS, "backends", tmp_path_factory.mktemp("backends"))


CLASSES = {"sqlite": "SQLiteBackend", "postgresql": "PostgreSQLBackend",
           "mariadb": "MySQLBackend"}


def test_the_connections_vendor_picks_its_backend(seen):
    assert seen["class"] == CLASSES[selected_backend()]


def test_the_pristine_copy_is_named_after_the_test_database(seen):
    if selected_backend() == "sqlite":
        assert seen["pristine name"] == seen["name"].replace(".sqlite3", "_pristine.sqlite3")
    else:
        assert seen["pristine name"] == seen["name"] + "_pristine"


def test_exists_tells_a_database_from_an_absent_one(seen):
    assert seen["exists"] is True and seen["absent exists"] is False


def test_tables_leave_out_the_marker_table(seen):
    assert seen["tables"] == ["unit_item", "unit_tag"]


def test_tables_with_rows_are_those_holding_a_row(seen):
    assert seen["with rows"] == ["unit_item"]


def test_a_table_without_rows_has_the_empty_signature(seen):
    assert seen["empty signature"] and seen["filled signature"]


def test_a_signature_follows_the_rows_values(seen):
    assert seen["value changed: signature changed"] and seen["value back: signature back"]


def test_the_structure_digest_sees_an_index_and_not_rows(seen):
    assert seen["rows leave the structure"]
    assert seen["an index changes the structure"] and seen["index dropped: structure back"]


def test_reset_counters_undoes_an_insert_so_the_next_key_is_a_fresh_builds(seen):
    assert "unit_counted" in " ".join(seen["counters"])
    assert seen["insert advanced the counters"]
    assert seen["reset: counters back"] and seen["reset: next id is the deleted row's"]


def test_the_state_records_structure_and_each_tables_signature(seen):
    assert seen["state entries"] == [
        "structure", "table unit_counted", "table unit_item", "table unit_tag",
    ]


def test_only_a_pristine_copy_of_the_same_owner_is_claimed(seen):
    assert seen["no pristine claimed"] is None and seen["claim before snapshot"] is None
    assert seen["claim by owner"] is None
    assert seen["claim by another"] == "NotOurs: was made by unit-owner"


def test_the_snapshot_holds_every_table(seen):
    # SQLite's own sqlite_sequence is listed too.
    assert {"unit_counted", "unit_item", "unit_tag"} <= set(seen["pristine tables"])


def test_a_database_as_snapshotted_compares_the_same(seen):
    assert seen["clean compare"] is True


def test_compare_names_the_tables_whose_rows_changed(seen):
    assert seen["changed tables"] == ["unit_item", "unit_tag"]
    assert seen["changed empty"] == [] and seen["changed counters"]
    assert seen["changed exact by tables"] is True
    assert seen["changed words"] == "changed tables: unit_item, unit_tag"


def test_restore_tables_puts_back_the_pristine_rows(seen):
    assert seen["restored tables compare"] is True
    assert seen["restored items"] == ["a", "b"] and seen["restored tags"] == 0


def test_a_table_emptied_by_a_test_is_listed_as_empty_and_refilled(seen):
    assert seen["emptied tables"] == ["unit_item"] and seen["emptied empty"] == ["unit_item"]
    assert seen["refilled items"] == ["a", "b"]


def test_a_table_a_test_created_changes_the_structure(seen):
    assert seen["extra table: structure changed"] is True
    assert seen["extra table: exact by tables"] is False
    assert seen["extra table words"] == "the structure of its tables changed"


def test_a_whole_restore_drops_new_tables_and_puts_back_rows(seen):
    assert seen["whole restore compare"] is True
    assert seen["whole restore tables"] == ["unit_counted", "unit_item", "unit_tag"]
    assert seen["whole restore items"] == ["a", "b"]


def test_a_restore_refuses_a_pristine_copy_of_another_build(seen):
    assert seen["restore of another build"].startswith("RestoreImpossible: its pristine copy")
    assert seen["restore of another build"].endswith("is not a copy of this build")


def test_a_restore_refuses_a_pristine_copy_lacking_a_table(seen):
    assert seen["restore lacking a table"].endswith("lacks tables: unit_ghost")


def test_a_restore_without_a_pristine_copy_says_it_is_missing(seen):
    assert seen["restore without a copy"].endswith("is missing")


def test_a_dropped_table_is_a_difference_single_tables_cannot_undo(seen):
    assert seen["dropped table: same"] is False and seen["dropped table: exact"] is False


def test_drop_removes_the_database_and_its_pristine_copy(seen):
    assert seen["exists after drop"] is False
    assert seen["pristine after drop"] == [None, []]


# Pure logic.


@pytest.mark.backend_independent
def test_changed_tables_are_those_whose_signature_differs_or_is_missing():
    from nose_speedup.vendors.reuse_base import changed_tables

    before = {"a": "1", "b": "2", "c": "3"}
    assert changed_tables(before, {"a": "1", "b": "9", "d": "4"}) == ["b", "c", "d"]


@pytest.mark.backend_independent
def test_a_comparison_says_the_first_difference_that_matters():
    from nose_speedup.vendors.reuse_base import Comparison

    assert Comparison().same and Comparison().words() == ""
    error = Comparison(error="no such table", tables=["a"])
    assert error.words() == "reading it failed (no such table)" and not error.exact_by_tables
    counters = Comparison(counters=["a_id_seq"])
    assert not counters.same and counters.exact_by_tables
    assert counters.words() == "changed sequences: a_id_seq"


@pytest.mark.backend_independent
def test_a_vendor_without_a_backend_is_not_supported():
    from nose_speedup import vendors

    assert not vendors.supported(types.SimpleNamespace(vendor="oracle"))


def sqlite_connection(name, test_name=None, alias="default"):
    return types.SimpleNamespace(alias=alias, settings_dict={"NAME": name,
                                                             "TEST": {"NAME": test_name}})


@pytest.mark.backend_independent
def test_a_kept_sqlite_database_is_the_file_test_name_names(tmp_path, monkeypatch):
    from nose_speedup.vendors.sqlite.reuse import kept_file

    monkeypatch.chdir(tmp_path)
    assert kept_file(sqlite_connection("db.sqlite3", "t/kept.sqlite3")) == str(
        tmp_path / "t" / "kept.sqlite3")


@pytest.mark.backend_independent
def test_a_kept_sqlite_database_without_a_test_file_lies_beside_the_real_one(tmp_path):
    from nose_speedup.vendors.sqlite.reuse import kept_file

    for memory in (None, ":memory:", "file:memdb?mode=memory&cache=shared"):
        found = kept_file(sqlite_connection(str(tmp_path / "db.sqlite3"), memory))
        assert found == str(tmp_path / "test_db.sqlite3")


@pytest.mark.backend_independent
def test_a_kept_in_memory_sqlite_database_goes_under_the_working_directory(tmp_path, monkeypatch):
    from nose_speedup.vendors.sqlite.reuse import kept_file, use_file

    monkeypatch.chdir(tmp_path)
    connection = sqlite_connection(":memory:", None, alias="other")
    assert kept_file(connection) == str(tmp_path / ".nose-speedup" / "test_other.sqlite3")
    use_file(connection)
    assert connection.settings_dict["TEST"]["NAME"] == kept_file(connection)
    assert (tmp_path / ".nose-speedup").is_dir()
