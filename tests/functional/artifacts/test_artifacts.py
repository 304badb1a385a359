"""Kept test databases travel between machines as artifacts: ``python -m
nose_speedup.db fingerprint/save/load`` and ``[reuse-db] artifact``. Each
test saves from one copy of tests/scenarios/reuse_db/shop (its own database
names, its own directory: another machine, as far as names and paths go)
and loads into another copy, on the backend NOSE_SPEEDUP_TEST_DB selects,
running nose2 and the command in subprocesses."""

import hashlib
import io
import json
import sys
import tarfile

import pytest

from tests.support.databases import database_alias, selected_backend
from tests.support.nose2run import copy_scenario, remove_copy, run_command
from tests.functional.reuse.test_reuse_db import (
    NEW_MIGRATION,
    PRISTINE_ITEMS,
    PROBE,
    TRANSACTIONAL,
    Project,
    _create_foreign_database,
    succeeded,
)

LOADED = "(loaded from artifact built "


def _project():
    return Project(copy_scenario("reuse_db/shop"))


@pytest.fixture
def projects():
    """Two copies: the machine that saves, and the fresh one that loads."""
    made = [_project(), _project()]
    try:
        yield made
    finally:
        for project in made:
            project.drop_server_databases()
            remove_copy(project.path)


def db_command(project, *args, settings="settings", **extra):
    return run_command(
        project.path, [sys.executable, "-m", "nose_speedup.db", "--settings", settings, *args],
        env=project.env(reuse=None, **extra),
    )


def use_artifact(project, path):
    config = project.path / "unittest.cfg"
    config.write_text(config.read_text() + f"\n[reuse-db]\nartifact = {path}\n")


def saved(project, *labels):
    """Build the kept databases with a REUSE_DB=1 run, save them; return
    the artifact's path and the run's report."""
    result, report = project.run(*labels)
    succeeded(result)
    path = project.path.parent / "shop.artifact"
    succeeded(db_command(project, "save", str(path)))
    return path, report


def rewrite(path, change):
    """Rewrite the artifact with ``change(name, data) -> data`` applied to
    each member, keeping the rest as it was."""
    members = []
    with tarfile.open(path, "r:gz") as tar:
        for info in tar.getmembers():
            members.append((info.name, change(info.name, tar.extractfile(info).read())))
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def one_line(result):
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 1, result.describe()
    return lines[0]


# 1. The fingerprint key -----------------------------------------------------------------


def test_fingerprint_is_the_same_in_two_checkouts_and_changes_with_a_migration(projects):
    first, second = projects
    keys = [succeeded(db_command(project, "fingerprint")).stdout.strip() for project in projects]
    assert keys[0] == keys[1] and len(keys[0]) == 32, keys
    assert not first.exists(first.test_database())  # no database was touched
    second.edit("shop/migrations/0003_color.py", NEW_MIGRATION)
    assert succeeded(db_command(second, "fingerprint")).stdout.strip() != keys[0]


# 2. Save, then load into another name on a fresh machine --------------------------------


def test_saved_databases_load_into_another_name_with_the_same_outcomes(projects):
    first, second = projects
    path, first_report = saved(first, PROBE, TRANSACTIONAL)
    assert first.test_database() != second.test_database()
    use_artifact(second, path)
    result, report = second.run(PROBE, TRANSACTIONAL)
    succeeded(result)
    assert f"Reusing test database {second.test_database()!r} {LOADED}" in result.output, (
        result.describe()
    )
    assert "Creating test database" not in result.output
    assert report["migration_modules_loaded"] == [], result.describe()  # nothing migrated
    for key in ("items", "other_items", "content_types", "permissions", "columns", "first_pk"):
        assert report[key] == first_report[key], key
    assert result.outcomes() == first.run(PROBE, TRANSACTIONAL)[0].outcomes() != {}
    # Kept as if built here, with its pristine record: the TransactionTestCase
    # left it dirty, and the next run restores the tables it changed.
    warm, report = second.run()
    restoring = f"Reusing test database {second.test_database()!r} (restored "
    assert restoring in succeeded(warm).output, warm.describe()
    assert report["items"] == PRISTINE_ITEMS


def test_load_command_makes_the_kept_databases_and_the_next_run_reuses_them(projects):
    first, second = projects
    path, _ = saved(first)
    loaded = succeeded(db_command(second, "load", str(path)))
    assert LOADED in loaded.output, loaded.describe()
    assert second.exists(second.test_database()) and second.exists(second.test_database("other"))
    result, report = second.run()
    assert f"Reusing test database {second.test_database()!r} (built " in succeeded(result).output
    assert report["items"] == PRISTINE_ITEMS


def test_a_dirty_kept_database_is_saved_pristine(projects):
    first, second = projects
    succeeded(first.run()[0])
    first.execute("INSERT INTO shop_item (name) VALUES ('Left by another client')")
    path = first.path.parent / "shop.artifact"
    result = succeeded(db_command(first, "save", str(path)))
    assert "Restoring test database" in result.output, result.describe()
    real = database_alias(first.name, first.path)["NAME"]
    assert not first.exists(real), "saving touched the real database"
    use_artifact(second, path)
    result, report = second.run()
    assert LOADED in succeeded(result).output
    assert report["items"] == PRISTINE_ITEMS


def test_save_without_a_kept_database_says_how_to_make_one(projects):
    first, _ = projects
    line = one_line(db_command(first, "save", str(first.path.parent / "x.artifact")))
    assert "does not exist; run the tests once with REUSE_DB=1" in line, line


# PostgreSQL without the client tools: the portable fallback.
NO_CLIENT_TOOLS = "/nonexistent"  # a PATH where neither pg_dump nor pg_restore is found


def postgresql_only(test):
    """PostgreSQL's dump methods exist only there: the test is defined on the
    PostgreSQL runs (CI has them) and not collected elsewhere, never a skip
    counted beside the passes."""
    return test if selected_backend() == "postgresql" else None


@postgresql_only
def test_without_pg_dump_the_portable_fallback_saves_and_loads_without_client_tools(projects):
    first, second = projects
    path = first.path.parent / "shop.artifact"
    succeeded(first.run(PROBE, TRANSACTIONAL)[0])
    first_report = first.run()[1]
    result = succeeded(db_command(first, "save", str(path), PATH=NO_CLIENT_TOOLS))
    assert "with psycopg COPY + catalog DDL (no pg_dump): pg_dump is not installed" in (
        result.output
    ), result.describe()
    use_artifact(second, path)
    result, report = second.run(PATH=NO_CLIENT_TOOLS)
    assert f"{LOADED}" in succeeded(result).output and "(no pg_dump)" in result.output
    for key in ("items", "other_items", "content_types", "permissions", "columns", "first_pk",
                "tables"):
        assert report[key] == first_report[key], key
    # The same structure (columns, indexes, constraints) and sequences as the source.
    structure = (
        "SELECT entry, content FROM nose_speedup_reuse WHERE entry = 'structure' "
        "OR entry LIKE 'counter %' ORDER BY entry"
    )
    assert second.execute(structure) == first.execute(structure) != []


@postgresql_only
def test_a_pg_dump_artifact_without_pg_restore_builds_and_says_why(projects):
    first, second = projects
    path, _ = saved(first)
    use_artifact(second, path)
    result, report = second.run(PATH=NO_CLIENT_TOOLS)
    assert "none of pg_restore is installed" in succeeded(result).output, result.describe()
    assert "Creating test database" in result.output
    assert report["items"] == PRISTINE_ITEMS


# 3. Nearest ancestor ----------------------------------------------------------------------


def test_artifact_built_before_a_new_migration_is_loaded_and_only_that_migration_applied(projects):
    first, second = projects
    path, _ = saved(first)
    second.edit("shop/migrations/0003_color.py", NEW_MIGRATION)
    use_artifact(second, path)
    result, report = second.run()
    assert (
        "then applied 1 new migration: shop/0003_color.py; REUSE_DB=reset to rebuild)"
    ) in succeeded(result).output, result.describe()
    assert "color" in report["columns"]
    assert report["items"] == PRISTINE_ITEMS
    applied = second.execute("SELECT name FROM django_migrations WHERE app = 'shop'")
    assert sorted(name for (name,) in applied) == ["0001_initial", "0002_seed", "0003_color"]
    warm, report = second.run()
    assert f"Reusing test database {second.test_database()!r} (built " in succeeded(warm).output
    assert "color" in report["columns"]


@pytest.mark.parametrize("change, reason", [
    ("edited", "migration shop/0002_seed.py changed"),
    ("removed", "migration shop/0002_seed.py removed"),
    ("setting", "setting DEFAULT_AUTO_FIELD changed"),
])
def test_any_other_difference_builds_and_says_why(projects, change, reason):
    first, second = projects
    path, _ = saved(first)
    if change == "edited":
        second.edit("shop/migrations/0002_seed.py", append="\n# edited on a branch\n")
    elif change == "removed":
        second.edit("shop/migrations/0002_seed.py")
    else:
        big = '\nDEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"\n'
        second.edit("settings.py", append=big)
    use_artifact(second, path)
    result, _ = second.run()
    assert f"it was built from other code ({reason}" in result.output, result.describe()
    assert "Creating test database" in result.output and LOADED not in result.output
    assert result.returncode == 0, result.describe()


# 4. Safety ----------------------------------------------------------------------------------


def test_tampered_artifact_is_refused_in_one_line_and_a_run_builds_instead(projects):
    first, second = projects
    path, _ = saved(first)
    rewrite(path, lambda name, data: data + b"\0" if name == "databases/default" else data)
    line = one_line(db_command(second, "load", str(path)))
    assert "was changed after it was written (checksum of databases/default)" in line, line
    assert not second.exists(second.test_database())
    use_artifact(second, path)
    result, report = second.run()
    assert "Not loading artifact" in succeeded(result).output, result.describe()
    assert "Creating test database" in result.output
    assert report["items"] == PRISTINE_ITEMS


def test_a_file_that_is_no_artifact_is_refused_in_one_line(projects):
    _, second = projects
    path = second.path.parent / "junk.artifact"
    path.write_bytes(b"not a tar file")
    assert "is not a nose-speedup artifact" in one_line(db_command(second, "load", str(path)))


def test_artifact_of_another_project_is_refused(projects):
    first, second = projects
    path, _ = saved(first)
    (second.path / "other_settings.py").write_text("from settings import *  # noqa\n")
    line = one_line(db_command(second, "load", str(path), settings="other_settings"))
    assert "was made by nose-speedup for settings, not nose-speedup for other_settings" in line


def test_artifact_of_another_django_version_is_refused(projects):
    first, second = projects
    path, _ = saved(first)

    def older_django(name, data):
        if name == "manifest.json":
            return json.dumps({**json.loads(data), "django": "4.2.1"}).encode()
        return data

    rewrite(path, older_django)
    # The manifest's own checksum catches the edit first; an edit that
    # rewrote the checksum too is refused for its Django version.
    assert "checksum of manifest.json" in one_line(db_command(second, "load", str(path)))
    manifest = None

    def with_checksum(name, data):
        nonlocal manifest
        if name == "manifest.json":
            manifest = data
        return hashlib.sha256(manifest).hexdigest().encode() if name == "manifest.sha256" else data

    rewrite(path, with_checksum)
    line = one_line(db_command(second, "load", str(path)))
    assert "was made with Django 4.2.1, this is Django " in line, line


def test_load_never_touches_a_database_that_is_not_ours(projects):
    first, second = projects
    path, _ = saved(first)
    _create_foreign_database(second)
    line = one_line(db_command(second, "load", str(path)))
    assert "already exists and has tables but no nose-speedup marker" in line, line
    assert second.execute("SELECT count(*) FROM precious") == [(0,)]


# 5. The command's own words (issue 20, point 11 c and d) ------------------------------------


def bare_db_command(project, *args):
    """The command without --settings (the scenario environment sets no
    DJANGO_SETTINGS_MODULE)."""
    return run_command(
        project.path, [sys.executable, "-m", "nose_speedup.db", *args],
        env=project.env(reuse=None),
    )


@pytest.mark.backend_independent
def test_the_command_reads_the_settings_from_the_nose2_config_as_the_plugins_do(projects):
    _, second = projects
    expected = succeeded(db_command(second, "fingerprint")).stdout
    config = second.path / "unittest.cfg"
    assert "settings = settings" in config.read_text()  # the scenario's [django] settings
    assert succeeded(bare_db_command(second, "fingerprint")).stdout == expected
    config.rename(second.path / "nose2.cfg")
    assert succeeded(bare_db_command(second, "fingerprint")).stdout == expected
    (second.path / "nose2.cfg").unlink()
    line = one_line(bare_db_command(second, "fingerprint"))
    assert "set [django] settings in unittest.cfg or nose2.cfg" in line, line


def test_load_says_it_did_not_load_when_the_kept_databases_were_already_current(projects):
    first, second = projects
    path, _ = saved(first)
    assert LOADED in succeeded(db_command(second, "load", str(path))).output
    again = succeeded(db_command(second, "load", str(path)))
    assert LOADED not in again.output, again.describe()
    for name in (second.test_database(), second.test_database("other")):
        assert (
            f"Not loading artifact {str(path)!r} into {name!r}: that kept test database was "
            "built from today's code already"
        ) in again.output, again.describe()


def test_a_failed_load_says_nothing_was_loaded_and_builds_nothing(projects):
    first, second = projects
    path, _ = saved(first)
    second.edit("shop/migrations/0002_seed.py", append="\n# edited on a branch\n")
    line = one_line(db_command(second, "load", str(path)))
    assert "it was built from other code (migration shop/0002_seed.py changed" in line, line
    assert "building" not in line and "nothing loaded" in line, line
    assert not second.exists(second.test_database())
