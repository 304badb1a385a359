"""REUSE_DB=1 never drops or overwrites a database it did not make, at any
name it derives: the copies for parallel workers have names no other runner
uses, and a database already at such a name is replaced only when it bears
nose-speedup's mark; otherwise the run stops naming it. Django's own
``--keepdb --parallel`` is the reference: it keeps a foreign database at its
clone names too. Each test runs ``manage.py test`` in a subprocess against a
copy of tests/scenarios/reuse_db/shop, on the backend NOSE_SPEEDUP_TEST_DB
selects."""

import sqlite3

import pytest

from tests.support.nose2run import run_manage
from tests.functional.reuse.test_reuse_db import (  # noqa: F401 (project is a fixture)
    BACKEND,
    PROBE,
    TRANSACTIONAL,
    _server_connection,
    project,
    succeeded,
)

LABELS = (PROBE, TRANSACTIONAL)
FOREIGN_ROW = "kept by someone else"
CLONE_MARK = "copy for a parallel worker, made by nose-speedup for settings"


def database_named(project, suffix):
    """The name of the test database with ``suffix`` (a clone's name)."""
    name = project.test_database()
    if BACKEND == "sqlite":
        return name.replace(".sqlite3", f"{suffix}.sqlite3")
    return f"{name}{suffix}"


def _quoted(name):
    return f'"{name}"' if BACKEND == "postgresql" else f"`{name}`"


def create_foreign(project, name, mark=None):
    """A database (or SQLite file) ``name`` holding a row, as someone else's;
    with ``mark``, marked as nose-speedup marks its copies."""
    if BACKEND == "sqlite":
        connection = sqlite3.connect(name)
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES (?)", [FOREIGN_ROW])
        if mark:
            connection.execute(f"PRAGMA application_id = {0x6E737031}")
        connection.commit()
        connection.close()
        return
    server = _server_connection()
    try:
        server.cursor().execute(f"CREATE DATABASE {_quoted(name)}")
        if mark and BACKEND == "postgresql":
            server.cursor().execute(f"COMMENT ON DATABASE {_quoted(name)} IS '{mark}'")
        elif mark:
            server.cursor().execute(f"ALTER DATABASE {_quoted(name)} COMMENT = '{mark}'")
    finally:
        server.close()
    project.execute("CREATE TABLE notes (body VARCHAR(40))", name=name)
    project.execute(f"INSERT INTO notes VALUES ('{FOREIGN_ROW}')", name=name)


def foreign_rows(project, name):
    return project.execute("SELECT body FROM notes", name=name)


def drop(name):
    if BACKEND == "sqlite":
        return
    server = _server_connection()
    try:
        server.cursor().execute(f"DROP DATABASE IF EXISTS {_quoted(name)}")
    finally:
        server.close()


@pytest.fixture
def names(project):
    """Drops the clones' databases the test names, at its end."""
    made = []
    yield made
    for name in made:
        drop(name)


def manage_test(project, *args, reuse="1"):
    return run_manage(project.path, "test", "--noinput", *args, *LABELS, env=project.env(reuse))


def test_a_foreign_database_at_djangos_clone_name_is_kept_as_django_keeps_it(project, names):
    foreign = database_named(project, "_1")
    names += [foreign, database_named(project, "_2")]
    if BACKEND != "sqlite":  # Django's clones of the other alias, left by --keepdb
        names += [f"{project.test_database('other')}_{slot}" for slot in (1, 2)]
    succeeded(manage_test(project))
    create_foreign(project, foreign)
    # The reference: Django's own --keepdb --parallel 2 keeps it (its worker
    # then runs on it and fails), and leaves its second clone behind, which
    # must not stop the next REUSE_DB run.
    django = ("--testrunner", "django.test.runner.DiscoverRunner", "--keepdb", "--parallel", "2")
    manage_test(project, *django, reuse=None)
    if BACKEND != "sqlite":  # Django's SQLite test databases are in memory
        assert project.exists(database_named(project, "_2"))
    assert foreign_rows(project, foreign) == [(FOREIGN_ROW,)]
    result = succeeded(manage_test(project, "--parallel", "2"))
    assert "in 2 processes" in result.output, result.describe()
    assert foreign_rows(project, foreign) == [(FOREIGN_ROW,)]


@pytest.mark.parametrize("reuse", ["1", None])
def test_a_foreign_database_at_our_clone_name_stops_the_run_naming_it(project, names, reuse):
    foreign = database_named(project, "_nsp1")
    names.append(foreign)
    if reuse is None and BACKEND == "sqlite":  # Django's are in memory: give it a file
        project.edit("settings.py", append=(
            f'\nDATABASES["default"]["TEST"] = {{"NAME": {project.test_database()!r}}}\n'
        ))
    succeeded(manage_test(project, reuse=reuse))
    create_foreign(project, foreign)
    result = manage_test(project, "--parallel", "2", reuse=reuse)
    assert result.returncode != 0, result.describe()
    assert f"parallel plugin: the copy of test database {project.test_database()!r} for a " \
        f"parallel worker would be {foreign!r}, which already exists" in result.output, (
            result.describe()
        )
    assert "Traceback" not in result.output, result.describe()
    assert foreign_rows(project, foreign) == [(FOREIGN_ROW,)]


def test_a_copy_a_killed_run_left_behind_is_replaced(project, names):
    left = database_named(project, "_nsp1")
    names.append(left)
    succeeded(manage_test(project))
    create_foreign(project, left, mark=CLONE_MARK)
    result = succeeded(manage_test(project, "--parallel", "2"))
    assert "in 2 processes" in result.output, result.describe()
    assert not project.exists(left), "the copy is dropped at the end of the run"


# PostgreSQL only (a table outside the search path): defined only on
# PostgreSQL runs, never a skip elsewhere.
if BACKEND == "postgresql":

    def test_a_foreign_database_with_tables_only_outside_the_search_path_is_refused(project):
        name = project.test_database()
        server = _server_connection()
        try:
            server.cursor().execute(f'CREATE DATABASE "{name}"')
        finally:
            server.close()
        project.execute("CREATE SCHEMA archive")
        project.execute("CREATE TABLE archive.notes (body VARCHAR(40))")
        project.execute(f"INSERT INTO archive.notes VALUES ('{FOREIGN_ROW}')")
        result = manage_test(project)
        assert result.returncode != 0, result.describe()
        assert f"the test database {name!r} of alias 'default' already exists and has " \
            "tables but no nose-speedup marker" in result.output, result.describe()
        assert project.execute("SELECT body FROM archive.notes") == [(FOREIGN_ROW,)]
