"""The kept build the reuse tests marked ``@pytest.mark.kept_build`` start
from, made once per pytest worker (tests/support/kept_build.py)."""

import pytest

from tests.functional.reuse.test_reuse_db import (
    BACKEND,
    Project,
    _server_connection,
    cold_build,
    kept_databases,
)
from tests.support.kept_build import KeptBuild
from tests.support.nose2run import copy_scenario


@pytest.fixture(scope="session")
def kept_build():
    build = KeptBuild(
        BACKEND, Project(copy_scenario("reuse_db/shop")), cold_build, kept_databases,
        _server_connection,
    )
    try:
        yield build
    finally:
        build.remove()
