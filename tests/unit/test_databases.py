"""``database_identity``: when two database names are the same database (the
real-name guard and the reuse lock depend on it), and the marker table a
reused test database carries (``vendors.marker``), on real Django connections
in a subprocess."""

import pytest

from tests.support.django_snippet import run_snippet

# SQLite (or settings alone) whatever NOSE_SPEEDUP_TEST_DB says.
pytestmark = pytest.mark.backend_independent

SERVER = {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "USER": "root"}

IDENTITY = """
from django.db import connections
from nose_speedup.core.database_guards import database_identity

def identity(alias, name):
    found = database_identity(connections[alias], name)
    return None if found is None else list(found)

result = {
    "relative": identity("default", "db.sqlite3"),
    "dotted": identity("default", "./sub/../db.sqlite3"),
    "path object": identity("default", pathlib.Path("db.sqlite3")),
    "memory": identity("default", ":memory:"),
    "memory uri": identity("default", "file:memdb1?mode=memory&cache=shared"),
    "server": identity("pg", "test_shop"),
    "server no host": identity("pg_local", "test_shop"),
    "server int port": identity("pg_int_port", "test_shop"),
    "server other host": identity("pg_other_host", "test_shop"),
    "cwd": os.getcwd(),
}
"""


@pytest.fixture(scope="module")
def identities(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("identity")
    databases = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x.sqlite3"},
        "pg": {**SERVER, "HOST": "127.0.0.1", "PORT": "5432"},
        "pg_local": {**SERVER, "HOST": "", "PORT": ""},
        "pg_int_port": {**SERVER, "HOST": "127.0.0.1", "PORT": 5432},
        "pg_other_host": {**SERVER, "HOST": "db.example", "PORT": "5432"},
    }
    code = "import os, pathlib\n" + IDENTITY
    return run_snippet(code, settings={"DATABASES": databases}, cwd=cwd)


def test_sqlite_identity_is_the_absolute_file_path(identities):
    assert identities["relative"] == ["sqlite", identities["cwd"] + "/db.sqlite3"]


def test_two_spellings_of_one_sqlite_file_are_the_same_database(identities):
    assert identities["dotted"] == identities["relative"] == identities["path object"]


def test_in_memory_sqlite_databases_have_no_identity(identities):
    assert identities["memory"] is None and identities["memory uri"] is None


def test_server_identity_is_engine_host_port_and_name(identities):
    assert identities["server"] == ["django.db.backends.postgresql", "127.0.0.1", "5432",
                                    "test_shop"]


def test_empty_host_means_localhost_and_a_port_number_equals_its_text(identities):
    assert identities["server no host"] == ["django.db.backends.postgresql", "localhost", "",
                                            "test_shop"]
    assert identities["server int port"] == identities["server"]


def test_same_name_on_another_host_is_another_database(identities):
    assert identities["server other host"] != identities["server"]


MARKER = """
from django.db import connection
from nose_speedup.vendors import marker

result = {"before": marker.read(connection)}
marker.create(connection, "shop.settings")
result["created"] = dict(marker.read(connection))
marker.write(connection, {"state": "clean", "table shop_item": "abc", "counter shop_seq": 7})
result["written"] = dict(marker.read(connection))
result["tables"] = marker.read(connection).group("table")
marker.write(connection, {"table shop_item": None, "reason": "rows left in shop_item"})
result["deleted"] = dict(marker.read(connection))
marker.write(connection, marker.flatten("manifest", {f"app a{i}": "h" for i in range(1200)}))
result["many"] = len(marker.read(connection).group("manifest"))
connection.close()
import sqlite3
other = sqlite3.connect(connection.settings_dict["NAME"])
result["committed"] = other.execute(
    "SELECT content FROM nose_speedup_reuse WHERE entry = 'state'").fetchall()
"""


@pytest.fixture(scope="module")
def marker_run(tmp_path_factory):
    name = str(tmp_path_factory.mktemp("marker") / "test_shop.sqlite3")
    databases = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": name}}
    return run_snippet(MARKER, settings={"DATABASES": databases})


def test_database_without_a_marker_reads_as_none(marker_run):
    assert marker_run["before"] is None


def test_a_new_marker_names_its_owner_and_says_building(marker_run):
    assert marker_run["created"] == {"owner": "shop.settings", "state": "building"}


def test_write_sets_entries_as_text_and_group_strips_the_prefix(marker_run):
    assert marker_run["written"] == {
        "owner": "shop.settings", "state": "clean", "table shop_item": "abc",
        "counter shop_seq": "7",
    }
    assert marker_run["tables"] == {"shop_item": "abc"}


def test_writing_none_deletes_an_entry(marker_run):
    assert "table shop_item" not in marker_run["deleted"]
    assert marker_run["deleted"]["reason"] == "rows left in shop_item"


def test_more_entries_than_one_statement_takes_are_all_written(marker_run):
    assert marker_run["many"] == 1200


def test_writes_are_committed_for_other_connections(marker_run):
    assert marker_run["committed"] == [["clean"]]
