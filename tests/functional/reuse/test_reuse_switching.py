"""Switching runners back and forth never breaks REUSE_DB=1: after Django's
own runner (which drops the kept test database at its end), its
``--keepdb`` (serial and ``--parallel 2``), or a ``dropdb`` of the kept
database or of its pristine copy, the next REUSE_DB=1 run, serial or
``--parallel 2``, passes and starts from the pristine state. On PostgreSQL
the project has django.contrib.postgres (hstore, citext) and a
``connection_created`` receiver of its own: a side connection (reading a
pristine copy, a clone, a probe) must not make a receiver query another
database (contrib.postgres's queries through the global ``default``
connection). Each test runs ``manage.py test`` in a subprocess against a
copy of tests/scenarios/reuse_db/shop, on the backend NOSE_SPEEDUP_TEST_DB
selects."""

import json
import os

import pytest

from tests.support.nose2run import run_manage
from tests.functional.reuse.test_reuse_db import (  # noqa: F401 (project is a fixture)
    BACKEND,
    PRISTINE_ITEMS,
    PROBE,
    TRANSACTIONAL,
    _server_connection,
    project,
    succeeded,
)

LABELS = (PROBE, TRANSACTIONAL, "pgextras") if BACKEND == "postgresql" else (PROBE, TRANSACTIONAL)
DJANGO = ("--testrunner", "django.test.runner.DiscoverRunner")


def manage_test(project, *args, reuse="1"):
    env = project.env(reuse, NSP_CONNECTIONS_LOG=str(project.path.parent / "connections.log"))
    if BACKEND == "postgresql":
        env["NSP_CONTRIB_POSTGRES"] = "1"
    project.report_path.unlink(missing_ok=True)
    return run_manage(project.path, "test", "--noinput", *args, *LABELS, env=env)


def drop_database(project, name):
    if BACKEND == "sqlite":
        os.remove(name)
        return
    server = _server_connection()
    try:
        quoted = f'"{name}" WITH (FORCE)' if BACKEND == "postgresql" else f"`{name}`"
        server.cursor().execute(f"DROP DATABASE {quoted}")
    finally:
        server.close()


def drop_django_clones(project):
    if BACKEND == "sqlite":
        return
    server = _server_connection()
    try:
        for alias in ("default", "other"):
            for slot in (1, 2):
                name = f"{project.test_database(alias)}_{slot}"
                quoted = f'"{name}" WITH (FORCE)' if BACKEND == "postgresql" else f"`{name}`"
                server.cursor().execute(f"DROP DATABASE IF EXISTS {quoted}")
    finally:
        server.close()


# Django's --keepdb runs on the database the REUSE_DB run left, as it is:
# after a TransactionTestCase, without the rows migrations made, so its own
# outcome is not asserted (it is Django's).
STEPS = {
    "django": lambda project: succeeded(manage_test(project, *DJANGO, reuse=None)),
    "django --keepdb": lambda project: manage_test(project, *DJANGO, "--keepdb", reuse=None),
    "django --keepdb --parallel 2": lambda project: manage_test(
        project, *DJANGO, "--keepdb", "--parallel", "2", reuse=None
    ),
    "dropdb of the kept database": lambda project: drop_database(
        project, project.test_database()
    ),
    "dropdb of the pristine copy": lambda project: drop_database(
        project, project.pristine_database()
    ),
}


def correct(project, result):
    """The run passed, from the pristine state, and every connection a
    receiver saw queried its own database."""
    succeeded(result)
    report = json.loads(project.report_path.read_text())
    assert report["items"] == PRISTINE_ITEMS, result.describe()
    log = project.path.parent / "connections.log"
    if BACKEND == "postgresql":
        lines = [line.split(" ") for line in log.read_text().splitlines()]
        assert lines, "the project's connection_created receiver ran"
        for alias, name, database in lines:
            assert name in (database, "None"), f"{alias}: {name} queried {database}"


@pytest.fixture
def clones_dropped(project):
    yield
    drop_django_clones(project)


@pytest.mark.parametrize("final", ["serial", "--parallel 2"])
@pytest.mark.parametrize("step", list(STEPS))
def test_reuse_db_after_another_runner_or_a_dropdb_passes_from_the_pristine_state(
    project, clones_dropped, step, final
):
    succeeded(manage_test(project))
    STEPS[step](project)
    args = [] if final == "serial" else ["--parallel", "2"]
    result = manage_test(project, *args)
    correct(project, result)
    assert "Traceback" not in result.output, result.describe()
    if final != "serial":
        assert "in 2 processes" in result.output, result.describe()
    correct(project, manage_test(project))
