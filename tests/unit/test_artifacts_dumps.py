"""The dumps of ``nose_speedup.vendors`` (``dump_base`` and each vendor's
``dump``): the way each vendor writes a test
database to a file and loads it into a new one. On the selected database,
one subprocess dumps a small database, loads the file into a second one
and reads both back, and asks which dump a connection and a method get,
with and without the client tools on ``PATH``. The SQLite file copy and the
one-line errors of the client tools need no Django: they run here."""

import sqlite3
import sys

import pytest

from nose_speedup.vendors import dump_base
from nose_speedup.vendors.sqlite.dump import SQLiteDump
from nose_speedup.vendors import marker
from tests.support.databases import selected_backend
from tests.support.unit_database import run_on_database

CHECKS = """
import sqlite3
from nose_speedup import vendors
from nose_speedup.vendors import dump_base
from nose_speedup.vendors import marker

result = r = {}
Item = make_model("unit_item", name=models.CharField(max_length=20))
marker.create(connection, "unit-owner")
marker.write(connection, {marker.STATE: marker.CLEAN})
Item.objects.create(name="a")
Item.objects.create(name="b")
dump = vendors.for_connection(connection).dump()
r["class"], r["method"] = type(dump).__name__, dump.method
r["for its method"] = type(vendors.for_connection(connection).dump_for(dump.method)).__name__
r["for another method"] = vendors.for_connection(connection).dump_for("something else")
r["server version"] = vendors.for_connection(connection).server_version()
r["expected version"] = {
    "postgresql": lambda: str(connection.pg_version // 10000),
    "mysql": lambda: ".".join(map(str, connection.mysql_version[:2])),
    "sqlite": lambda: sqlite3.sqlite_version.split(".")[0],
}[connection.vendor]()
path = os.path.join(BASE_DIR, "unit.dump")
dump.dump(connection.settings_dict["NAME"], path)

target = connections["absent"]
if connection.vendor != "sqlite":  # a new database holding only its marker
    with django_testdb.nodb_cursor(target) as cursor:
        cursor.execute(f"CREATE DATABASE {target.ops.quote_name(target.settings_dict['NAME'])}")
    marker.create(target, "loader")
vendors.for_connection(target).dump_for(dump.method).load(target.settings_dict["NAME"], path)
with target.cursor() as cursor:
    cursor.execute("SELECT name FROM unit_item ORDER BY id")
    r["loaded rows"] = [name for (name,) in cursor.fetchall()]
    cursor.execute("INSERT INTO unit_item (name) VALUES ('c')")
    cursor.execute("SELECT max(id) FROM unit_item")
    r["next id"] = cursor.fetchone()[0]
r["loaded marker"] = dict(marker.read(target))
target.close()

if connection.vendor != "sqlite":
    os.environ["PATH"] = ""
    r["without tools: class"] = type(vendors.for_connection(connection).dump()).__name__
    r["without tools: why"] = getattr(vendors.for_connection(connection).dump(), "why", None)
    tool_dump = vendors.for_connection(connection).dump_classes()[0]
    try:
        tool_dump(connection).dump("x", path)
    except dump_base.DumpFailed as error:
        r["without tools: dump"] = str(error)
"""


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    base_dir = tmp_path_factory.mktemp("dumps")
    return run_on_database(f"BASE_DIR = {str(base_dir)!r}\n" + CHECKS, "dumps", base_dir)


CLASSES = {"sqlite": "SQLiteDump", "postgresql": "PostgreSQLDump", "mariadb": "MySQLDump"}


def test_the_connections_vendor_picks_its_dump_and_the_method_its_loader(seen):
    assert seen["class"] == CLASSES[selected_backend()]
    assert seen["for its method"] == seen["class"] and seen["for another method"] is None


def test_server_version_is_the_major_version_the_client_tools_must_fit(seen):
    assert seen["server version"] == seen["expected version"]


def test_a_loaded_dump_has_the_rows_and_the_next_key(seen):
    assert seen["loaded rows"] == ["a", "b"] and seen["next id"] == 3


if selected_backend() == "sqlite":

    def test_a_loaded_sqlite_file_reads_as_an_unfinished_build(seen):
        assert seen["loaded marker"] == {"owner": "unit-owner", "state": "building"}

else:

    def test_a_server_dump_leaves_out_the_marker_the_load_made_first(seen):
        assert seen["loaded marker"] == {"owner": "loader", "state": "building"}

    def test_without_client_tools_the_dump_says_which_to_install(seen):
        tools, vendor = {"postgresql": ("pg_dump", "postgresql"),
                         "mariadb": ("mariadb-dump, mysqldump", "mysql")}[selected_backend()]
        assert seen["without tools: dump"] == (
            f"none of {tools} is installed: install the {vendor} client "
            "tools matching the server's version"
        )


if selected_backend() == "postgresql":

    def test_without_pg_dump_postgresql_saves_with_the_portable_fallback_saying_why(seen):
        assert seen["without tools: class"] == "PostgreSQLCopyDump"
        assert seen["without tools: why"] == "pg_dump is not installed"


# No Django needed.

@pytest.mark.backend_independent
def test_a_failing_tool_is_said_in_one_line_its_first_on_stderr():
    code = "import sys; sys.stderr.write('\\n  \\nFATAL: no such database\\nmore\\n'); sys.exit(2)"
    with pytest.raises(dump_base.DumpFailed) as raised:
        dump_base._run([sys.executable, "-c", code], {})
    name = sys.executable.rsplit("/", 1)[-1]
    assert str(raised.value) == f"{name} failed: FATAL: no such database"


@pytest.mark.backend_independent
def test_a_tool_failing_silently_is_said_by_its_exit_code():
    with pytest.raises(dump_base.DumpFailed, match=r"failed: exit code 3$"):
        dump_base._run([sys.executable, "-c", "raise SystemExit(3)"], {})


@pytest.mark.backend_independent
def test_a_tool_that_cannot_run_says_so(tmp_path):
    with pytest.raises(dump_base.DumpFailed, match=r"^.*/missing-tool could not run \("):
        dump_base._run([str(tmp_path / "missing-tool")], {})


class ClosedConnection:
    def close(self):
        pass


def sqlite_database(path, state):
    with sqlite3.connect(path) as database:
        database.execute(f"CREATE TABLE {marker.TABLE} (entry TEXT PRIMARY KEY, content TEXT)")
        database.execute(f"INSERT INTO {marker.TABLE} VALUES ('state', ?)", [state])
        database.execute("CREATE TABLE unit_item (name TEXT)")
        database.execute("INSERT INTO unit_item VALUES ('a')")
    database.close()


def read(path, sql):
    with sqlite3.connect(path) as database:
        rows = database.execute(sql).fetchall()
    database.close()
    return rows


@pytest.mark.backend_independent
def test_an_sqlite_file_round_trip_keeps_rows_and_marks_the_load_unfinished(tmp_path):
    source, dumped, loaded = (str(tmp_path / name) for name in ("a.sqlite3", "f.dump", "b.db"))
    sqlite_database(source, marker.CLEAN)
    dump = SQLiteDump(ClosedConnection())
    dump.dump(source, dumped)
    dump.load(loaded, dumped)
    assert read(loaded, "SELECT name FROM unit_item") == [("a",)]
    assert read(loaded, f"SELECT content FROM {marker.TABLE}") == [(marker.BUILDING,)]
    assert read(dumped, f"SELECT content FROM {marker.TABLE}") == [(marker.CLEAN,)]


@pytest.mark.backend_independent
def test_an_unreadable_sqlite_dump_leaves_the_database_as_it_was(tmp_path):
    target, dumped = tmp_path / "b.sqlite3", tmp_path / "f.dump"
    sqlite_database(str(target), marker.CLEAN)
    dumped.write_bytes(b"not an SQLite file at all, but long enough to be read" * 4)
    with pytest.raises(dump_base.DumpFailed, match=r"^its SQLite file cannot be read \("):
        SQLiteDump(ClosedConnection()).load(str(target), str(dumped))
    assert read(str(target), f"SELECT content FROM {marker.TABLE}") == [(marker.CLEAN,)]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["b.sqlite3", "f.dump"]
