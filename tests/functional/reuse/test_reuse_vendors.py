"""A database vendor added from outside: the scenario ``vendors/stub`` runs
on ``stubsql``, Django's SQLite backend under another vendor name, which
nose-speedup has no package for. Registered through
``nose_speedup.vendors.register`` (its settings do so when
``NSP_STUB_VENDOR=1``), its vendor class builds, keeps and reuses the test
database; unregistered, ``REUSE_DB=1`` is refused in one line naming the
vendor, the alias and the supported vendors. The scenario's database is
SQLite whatever ``NOSE_SPEEDUP_TEST_DB`` says."""

import pytest

from tests.support.nose2run import run_nose2
from tests.support.projects import scenario_copy

pytestmark = pytest.mark.backend_independent

project = scenario_copy("vendors/stub", scope="function")

PICKED = "stub vendor: reuse backend of 'default'"


def test_a_registered_vendor_is_picked_by_the_reuse_lifecycle(project):
    env = {"REUSE_DB": "1", "NSP_STUB_VENDOR": "1"}
    built = run_nose2(project, "-v", env=env)
    assert built.returncode == 0, built.describe()
    assert PICKED in built.stderr
    assert "Creating test database" in built.stderr
    assert (project / "test_db_pristine.sqlite3").exists()
    reused = run_nose2(project, "-v", env=env)
    assert reused.returncode == 0, reused.describe()
    assert PICKED in reused.stderr
    assert "Reusing test database" in reused.stderr


def test_an_unregistered_vendor_is_refused_in_one_line(project):
    refused = run_nose2(project, env={"REUSE_DB": "1"})
    assert refused.returncode == 1, refused.describe()
    assert refused.stderr.strip().splitlines()[-1] == (
        "reuse-db plugin: database vendor 'stubsql' of alias 'default' (ENGINE 'stubsql') is "
        "not supported by nose-speedup (supported: mysql, postgresql, sqlite): its test "
        "database cannot be kept. Run without REUSE_DB/--reuse-db"
    )
    assert not (project / "test_db.sqlite3").exists()
