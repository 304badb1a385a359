"""REUSE_DB=1 restores the tables a TransactionTestCase changed without
superuser rights: a PostgreSQL role with CREATEDB that owns its test
databases disables the tables' user triggers and defers the foreign keys
(Django's are DEFERRABLE INITIALLY DEFERRED) instead of setting
session_replication_role, so no trigger fires and the result is the
pristine state. A project foreign key that cannot be deferred makes it fall
back to the whole pristine copy, saying once what the missing right costs.
Each test creates its own role (``nsp_reuse_helper...``, no superuser) and
drops it, and runs nose2 in a subprocess against a copy of
tests/scenarios/reuse_db/shop. PostgreSQL only: defined only on PostgreSQL
runs, never a skip elsewhere."""

import re

import pytest

from tests.support.databases import name_suffix
from tests.functional.reuse.test_reuse_db import (  # noqa: F401 (project is a fixture)
    BACKEND,
    PROBE,
    TRANSACTIONAL,
    _server_connection,
    project,
    succeeded,
)
from tests.functional.reuse.test_reuse_exactness import AUDIT_MIGRATION
from tests.functional.reuse.test_reuse_hostile import same_as_fresh

ROLE = f"nsp_reuse_helper{name_suffix()}"

NOT_DEFERRABLE_MIGRATION = '''from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_seed")]
    operations = [
        migrations.RunSQL(
            "CREATE TABLE shop_shelf (id integer PRIMARY KEY); "
            "INSERT INTO shop_shelf VALUES (1); "
            "ALTER TABLE shop_item ADD COLUMN shelf_id integer "
            "CONSTRAINT shop_item_shelf_fk REFERENCES shop_shelf (id) NOT DEFERRABLE"
        ),
    ]
'''


if BACKEND == "postgresql":

    @pytest.fixture
    def role(project):
        """A role that may create databases and is no superuser; dropped
        with the project's databases at the end."""
        server = _server_connection()
        try:
            server.cursor().execute(f"DROP ROLE IF EXISTS {ROLE}")
            server.cursor().execute(f"CREATE ROLE {ROLE} LOGIN CREATEDB NOSUPERUSER")
            yield ROLE
        finally:
            project.drop_server_databases()
            server.cursor().execute(f"DROP ROLE IF EXISTS {ROLE}")
            server.close()

    def test_a_role_without_superuser_rights_restores_only_the_changed_tables(project, role):
        project.edit("shop/migrations/0003_audit.py", AUDIT_MIGRATION)
        _, cold = project.run(NOSE_SPEEDUP_PG_USER=role)
        succeeded(project.run(PROBE, TRANSACTIONAL, NOSE_SPEEDUP_PG_USER=role)[0])
        result, report = project.run(NOSE_SPEEDUP_PG_USER=role)
        assert re.search(
            r"^Reusing test database '[^']+' \(restored \d+ tables a TransactionTestCase changed",
            succeeded(result).output, re.M,
        ), result.describe()
        assert "pristine copy" not in result.output, result.describe()
        same_as_fresh(report, cold)
        # The trigger did not fire during the restore, and fires again after.
        assert project.execute("SELECT name FROM shop_audit") == [("Made by post_migrate",)]
        project.execute("INSERT INTO shop_item (name) VALUES ('fires the trigger')")
        assert len(project.execute("SELECT name FROM shop_audit")) == 2, "the trigger is there"

    def test_a_foreign_key_that_cannot_be_deferred_falls_back_to_the_whole_copy_saying_why(
        project, role
    ):
        project.edit("shop/migrations/0003_shelf.py", NOT_DEFERRABLE_MIGRATION)
        _, cold = project.run(NOSE_SPEEDUP_PG_USER=role)
        succeeded(project.run(PROBE, TRANSACTIONAL, NOSE_SPEEDUP_PG_USER=role)[0])
        result, report = project.run(NOSE_SPEEDUP_PG_USER=role)
        assert (
            f"Restoring test database {project.test_database()!r} from its pristine copy: "
        ) in succeeded(result).output, result.describe()
        assert (
            "without superuser rights (or SET on session_replication_role), changed tables are "
            "restored alone only when their foreign keys are DEFERRABLE and take no action on "
            "delete, and shop_item_shelf_fk is not: each such restore costs a full copy; "
            "only a full copy is exact"
        ) in result.output, result.describe()
        same_as_fresh(report, cold)
        # A superuser restores the same tables alone.
        project.drop_server_databases()
        project.run()
        succeeded(project.run(PROBE, TRANSACTIONAL)[0])
        result, _ = project.run()
        assert "(restored " in succeeded(result).output, result.describe()
