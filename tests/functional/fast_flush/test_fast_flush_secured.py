"""The fast flush (nose_speedup.plugins.fast_flush) on tables whose rows the
test user cannot all see (issue 20, point 3): a table under row-level
security is emptied on every flush, a table the user cannot read hands the
flush to Django's, and so does one the user may not TRUNCATE (Django's
flush fails there, even when it is empty); outcomes equal Django's runner.

PostgreSQL only: row-level security and per-table read rights are
PostgreSQL's. SQLite has neither. On MariaDB/MySQL a table the test user
cannot SELECT makes the probe fail, and Django's flush (a DELETE per table,
which needs no read right) runs, as here on PostgreSQL. The scenario
(tests/scenarios/fast_flush/secured) runs as a role made for it that is not
a superuser (a superuser sees every row); the role is dropped afterwards."""

import re

import psycopg
import pytest

from tests.support.databases import (database_alias, name_suffix, selected_backend,
                                     server_settings)
from tests.support.nose2run import copy_scenario, run_manage, run_nose2

SCENARIO = "fast_flush/secured"
DJANGO_RUNNER = ("test", "--testrunner", "django.test.runner.DiscoverRunner", "-v", "2",
                 "--noinput")
TESTS = 6
TEARDOWN_ERROR = "CNoTruncateTests"
TOTALS = re.compile(r"^(Ran \d+ tests?)\b.*$|^((?:OK|FAILED)\b.*)$", re.MULTILINE)


def totals(result):
    """``["Ran 6 tests", "FAILED (errors=1)"]``: a teardown error counts in
    both runners' totals, though nose2's -v line says "ok" first."""
    return [next(filter(None, match.groups())) for match in TOTALS.finditer(result.output)]


def server(dbname="postgres"):
    settings = server_settings("postgresql")
    return psycopg.connect(host=settings["HOST"], port=settings["PORT"], user=settings["USER"],
                           password=settings["PASSWORD"], dbname=dbname, autocommit=True)


@pytest.fixture(scope="module")
def role():
    """A login role that may create databases and is not a superuser."""
    name = f"nsp_flush_rls{name_suffix()}".lower()
    test_database = database_alias("fast_flush_secured", ".")["TEST"]["NAME"]
    with server() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{test_database}"')
        connection.execute(f'DROP ROLE IF EXISTS "{name}"')
        connection.execute(f'CREATE ROLE "{name}" LOGIN CREATEDB NOSUPERUSER')
    try:
        yield name
    finally:
        with server() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{test_database}"')
            connection.execute(f'DROP ROLE IF EXISTS "{name}"')


def run(tmp_path, role, *args, manage=False):
    project = copy_scenario(SCENARIO, tmp_path)
    env = {"NOSE_SPEEDUP_PG_USER": role}
    return run_manage(project, *args, env=env) if manage else run_nose2(project, *args, env=env)


if selected_backend() == "postgresql":

    @pytest.fixture(scope="module")
    def fast(role, tmp_path_factory):
        return run(tmp_path_factory.mktemp("fast"), role, "-v", "--fast-flush")

    @pytest.fixture(scope="module")
    def django_run(role, tmp_path_factory):
        return run(tmp_path_factory.mktemp("django"), role, *DJANGO_RUNNER, manage=True)

    def test_rows_hidden_by_row_level_security_are_flushed_as_djangos_flush_does(
        fast, django_run
    ):
        reference = django_run.outcomes()
        assert len(reference) == TESTS, django_run.describe()
        passing = {test: outcome for test, outcome in reference.items()
                   if TEARDOWN_ERROR not in test}
        assert set(passing.values()) == {"ok"}, django_run.describe()
        assert {test: outcome for test, outcome in fast.outcomes().items()
                if TEARDOWN_ERROR not in test} == passing, fast.describe()
        assert totals(django_run) == [f"Ran {TESTS} tests", "FAILED (errors=1)"], (
            django_run.describe()
        )
        assert totals(fast) == totals(django_run), fast.describe()

    def test_a_table_under_row_level_security_is_emptied_without_handing_over(fast):
        # Django's flush runs only after the tests of the classes that took a
        # right: the other three flushes were fast.
        assert "fast-flush: 3 TransactionTestCase flushes" in fast.output, fast.describe()
        assert "Django's flush ran instead 3 times" in fast.output, fast.describe()

    def test_a_table_the_test_user_cannot_read_hands_the_flush_to_django_and_says_why(fast):
        assert "the query finding non-empty tables failed" in fast.output, fast.describe()
        assert "permission denied for table vault_sealed" in fast.output, fast.describe()

    def test_a_table_the_test_user_may_not_truncate_fails_the_flush_as_djangos_does(fast):
        assert "1x on 'default': the test user may not TRUNCATE a table Django's flush " \
            "truncates" in fast.output, fast.describe()
        error = fast.output.split("ERROR: test_a_nothing_written", 1)[-1]
        assert "permission denied for table vault_sealed" in error, fast.describe()
