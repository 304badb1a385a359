"""Every next REUSE_DB=1 run has the outcomes of a fresh run: whatever changed
the kept database since it was marked clean (another client, committed DDL,
a restore with triggers), whatever built its rows (post_migrate handlers,
modules a migration imports, abstract bases), whatever happened to its
pristine copy; and nothing that is not ours is dropped. Each test runs nose2
in a subprocess against a copy of tests/scenarios/reuse_db/shop, on the
backend NOSE_SPEEDUP_TEST_DB selects."""

import re

import pytest

from tests.support.nose2run import run_manage
from tests.functional.reuse.test_reuse_db import (  # noqa: F401 (project is a fixture)
    BACKEND,
    PRISTINE_ITEMS,
    PROBE,
    TRANSACTIONAL,
    _create_foreign_database,
    _server_connection,
    project,
    succeeded,
)

AUDIT_MIGRATION = '''from django.db import migrations

STATEMENTS = {
    "sqlite": [
        "CREATE TRIGGER shop_item_audit AFTER INSERT ON shop_item "
        "BEGIN INSERT INTO shop_audit (name) VALUES (NEW.name); END",
    ],
    "postgresql": [
        "CREATE FUNCTION shop_item_audit() RETURNS trigger AS $$ BEGIN "
        "INSERT INTO shop_audit (name) VALUES (NEW.name); RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER shop_item_audit AFTER INSERT ON shop_item FOR EACH ROW "
        "EXECUTE FUNCTION shop_item_audit()",
    ],
    "mysql": [
        "CREATE TRIGGER shop_item_audit AFTER INSERT ON shop_item FOR EACH ROW "
        "INSERT INTO shop_audit (name) VALUES (NEW.name)",
    ],
}


def create_trigger(apps, schema_editor):
    schema_editor.execute("CREATE TABLE shop_audit (name VARCHAR(100))")
    for statement in STATEMENTS[schema_editor.connection.vendor]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    atomic = False  # MySQL cannot run DDL in a transaction
    dependencies = [("shop", "0002_seed")]
    operations = [migrations.RunPython(create_trigger, migrations.RunPython.noop)]
'''


# 7. "Clean" is verified, not trusted -------------------------------------------------------


def test_rows_djangos_own_keepdb_run_changed_are_restored_next_run(project):
    if BACKEND == "sqlite":  # Django's runner keeps a file only when TEST NAME names one
        project.edit(
            "settings.py",
            append=f'\nDATABASES["default"]["TEST"] = {{"NAME": {project.test_database()!r}}}\n',
        )
    _, cold = project.run()
    keepdb = run_manage(
        project.path, "test", "--keepdb", "--noinput", "--testrunner",
        "django.test.runner.DiscoverRunner", TRANSACTIONAL, env=project.env(reuse=None),
    )
    assert "Using existing test database" in succeeded(keepdb).output, keepdb.describe()
    result, report = project.run()
    assert re.search(
        rf"Reusing test database {re.escape(repr(project.test_database()))} \(restored \d+ "
        "tables another client changed and reset 3 sequences; built ", succeeded(result).output,
    ), result.describe()
    assert report["items"] == PRISTINE_ITEMS
    assert (report["content_types"], report["permissions"]) == (
        cold["content_types"], cold["permissions"],
    )


@pytest.mark.kept_build
def test_a_sequence_another_client_advanced_is_restored_next_run(project):
    cold = project.cold_report
    project.execute("INSERT INTO shop_item (name) VALUES ('gone again')")
    project.execute("DELETE FROM shop_item WHERE name = 'gone again'")
    result, report = project.run()
    assert (
        f"Reusing test database {project.test_database()!r} (reset 1 sequence another client "
        "advanced; built "
    ) in succeeded(result).output, result.describe()
    assert "  reset sequences: " in result.output
    assert report["first_pk"] == cold["first_pk"]
    assert report["items"] == PRISTINE_ITEMS


# 8. The fingerprint covers what builds the rows -------------------------------------------


@pytest.mark.parametrize(
    "path, old, new, reason",
    [
        ("shop/seeding.py", '"Made by post_migrate"', '"Made by an edited module"',
         "source shop.seeding changed"),
        ("shop/apps.py", "name=POST_MIGRATE_NAME)", 'name="Made by an edited handler")',
         "source shop.apps changed"),
        ("shop/seed_data.py", '"Seeded by a migration"', '"Seeded by an edited module"',
         "source shop.seed_data changed"),
    ],
)
@pytest.mark.kept_build
def test_editing_code_that_writes_rows_at_build_time_rebuilds(project, path, old, new, reason):
    text = (project.path / path).read_text()
    assert old in text
    project.edit(path, text.replace(old, new))
    result, report = project.run()
    assert f"Rebuilding test database {project.test_database()!r}: {reason}" in (
        succeeded(result).output
    ), result.describe()
    assert new.split("=")[-1].strip('")') in report["items"]
    result, report = project.run()
    assert "Reusing test database" in result.output, result.describe()
    assert report["migration_modules_loaded"] == [], "the fingerprint imported no migration"


def test_editing_an_abstract_base_of_an_app_without_migrations_rebuilds(project):
    project.edit("settings.py", append='\nINSTALLED_APPS.append("blog")\n')
    succeeded(project.run()[0])
    project.edit("blog/bases.py", append="    subtitle = models.CharField(max_length=50)\n")
    result, _ = project.run()
    assert "source blog.bases changed" in succeeded(result).output, result.describe()
    assert project.execute("SELECT subtitle FROM blog_post") == [], "rebuilt with the column"


# 9. Committed DDL is noticed ----------------------------------------------------------------


@pytest.mark.kept_build
def test_a_column_a_test_committed_is_gone_next_run(project):
    result, report = project.run(PROBE, "shop.tests.test_ddl")
    assert "extra" not in report["group_columns"]
    assert (
        "the next run restores its pristine copy (the structure of its tables changed)"
    ) in succeeded(result).output, result.describe()
    result, report = project.run()
    assert "the previous run left changes behind (the structure of its tables changed)" in (
        succeeded(result).output
    ), result.describe()
    # MariaDB cannot copy a structure back exactly (CREATE TABLE ... LIKE loses
    # foreign keys): it rebuilds.
    fallback = "Rebuilding" if BACKEND == "mariadb" else "only a full copy is exact"
    assert fallback in result.output, result.describe()
    assert "extra" not in report["group_columns"]
    assert report["items"] == PRISTINE_ITEMS
    result, _ = project.run()
    assert "Reusing test database" in result.output, result.describe()


@pytest.mark.kept_build
def test_a_column_another_client_committed_is_gone_next_run(project):
    default = " DEFAULT 0" if BACKEND == "sqlite" else ""
    project.execute(f"ALTER TABLE auth_group ADD COLUMN extra INTEGER NOT NULL{default}")
    result, report = project.run()
    assert "it changed since the last run (the structure of its tables changed)" in (
        succeeded(result).output
    ), result.describe()
    assert "extra" not in report["group_columns"]


# 10. A restore fires no triggers -----------------------------------------------------------


def test_a_restore_fires_no_trigger(project):
    project.edit("shop/migrations/0003_audit.py", AUDIT_MIGRATION)
    succeeded(project.run()[0])
    assert project.execute("SELECT name FROM shop_audit") == [("Made by post_migrate",)]
    succeeded(project.run(PROBE, TRANSACTIONAL)[0])
    result, report = project.run()
    # Django's flush re-ran post_migrate, whose insert fired the trigger.
    assert (
        f"Reusing test database {project.test_database()!r} (restored 4 tables a "
        "TransactionTestCase changed and reset 3 sequences; built "
    ) in succeeded(result).output, result.describe()
    assert (
        "  restored tables: auth_permission, django_content_type, shop_audit, shop_item\n"
    ) in result.output
    assert report["items"] == PRISTINE_ITEMS
    # Re-inserting shop_item's rows fired nothing: one audit row, the build's.
    assert project.execute("SELECT name FROM shop_audit") == [("Made by post_migrate",)]
    result, _ = project.run()
    assert "Reusing test database" in result.output, "the trigger is still there"


# 11. A missing or damaged pristine copy is rebuilt ------------------------------------------


def _drop_pristine(project):
    name = project.pristine_database()
    if BACKEND == "sqlite":
        (project.path / name).unlink()
        return
    connection = _server_connection()
    try:
        quoted = f'"{name}"' if BACKEND == "postgresql" else f"`{name}`"
        force = " WITH (FORCE)" if BACKEND == "postgresql" else ""
        connection.cursor().execute(f"DROP DATABASE {quoted}{force}")
    finally:
        connection.close()


@pytest.mark.parametrize("damage", ["is missing", "lacks tables: shop_item"])
@pytest.mark.kept_build
def test_a_pristine_copy_dropped_by_hand_is_rebuilt_saying_so(project, damage):
    # Committed DDL: only the whole pristine copy restores it.
    succeeded(project.run(PROBE, "shop.tests.test_ddl")[0])
    if damage == "is missing":
        _drop_pristine(project)
    else:
        project.execute("DROP TABLE shop_item", name=project.pristine_database())
    result, report = project.run()
    assert (
        f"Rebuilding test database {project.test_database()!r}: the previous run left changes "
        "behind (the structure of its tables changed), and its "
        f"pristine copy {project.pristine_database()!r} {damage}"
    ) in succeeded(result).output, result.describe()
    assert "Traceback" not in result.output
    assert report["items"] == PRISTINE_ITEMS
    result, _ = project.run()
    assert "Reusing test database" in result.output, result.describe()


# 12. Nothing is dropped that is not ours ----------------------------------------------------


def test_refuses_a_pristine_copy_name_that_is_a_real_database(project):
    pristine = project.pristine_database()
    _create_foreign_database(project, pristine)
    project.edit("settings.py", append=f'\nDATABASES["other"]["NAME"] = {pristine!r}\n')
    result, _ = project.run()
    assert result.returncode != 0
    assert (
        f"reuse-db plugin: the pristine copy of test database {project.test_database()!r} "
        f"would be {pristine!r}, which is DATABASES['other']['NAME'], a real database"
    ) in result.output, result.describe()
    assert "Traceback" not in result.output
    assert project.execute("SELECT count(*) FROM precious", name=pristine) == [(0,)]


def test_refuses_to_overwrite_a_pristine_copy_name_holding_foreign_tables(project):
    pristine = project.pristine_database()
    _create_foreign_database(project, pristine)
    result, _ = project.run()
    assert result.returncode != 0
    assert (
        f"the pristine copy {pristine!r} of test database {project.test_database()!r} already "
        "exists and has tables but no nose-speedup marker"
    ) in result.output, result.describe()
    assert project.execute("SELECT count(*) FROM precious", name=pristine) == [(0,)]


@pytest.mark.kept_build
def test_leaving_reuse_drops_the_kept_database_and_its_pristine_copy(project):
    assert project.exists(project.pristine_database())
    result, _ = project.run(reuse="0")
    assert (
        f"Dropped test database {project.test_database()!r} and its pristine copy"
    ) in succeeded(result).output, result.describe()
    for alias in ("default", "other"):
        assert not project.exists(project.test_database(alias))
        assert not project.exists(project.pristine_database(alias))


# 15. The real-NAME error shows a plain path -----------------------------------------------

# SQLite only: only a file NAME can be a pathlib.Path.
if BACKEND == "sqlite":

    @pytest.mark.parametrize("reuse", [None, "1"])
    def test_the_real_name_error_shows_a_plain_path(project, reuse):
        project.edit(
            "settings.py",
            append='\nDATABASES["default"]["NAME"] = BASE_DIR / "real.sqlite3"\n'
            'DATABASES["default"]["TEST"] = {"NAME": BASE_DIR / "real.sqlite3"}\n',
        )
        result, _ = project.run(reuse=reuse)
        assert result.returncode != 0
        assert f"would be '{project.path / 'real.sqlite3'}', which is" in result.output, (
            result.describe()
        )
        assert "PosixPath" not in result.output
