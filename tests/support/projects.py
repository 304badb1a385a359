"""pytest fixtures that give a test module a fresh copy of a project.

``scenario_copy("bundling/shop")`` is a module-scoped fixture (one copy for
all the module's tests, removed after the last); ``scope="function"`` gives
each test a copy of its own. ``copied_testproject()`` copies the committed demo
project, ``testproject/``, the same way.

The demo project stands alone (its README runs it without this repository's
``tests`` package), so its settings name its server databases plainly
(``testproject``). Its copy gets the suffix of ``databases.name_suffix``
appended to those names, so that two checkouts or two pytest-xdist workers
never share its databases on a server.
"""

import pytest

from tests.support.databases import name_suffix
from tests.support.nose2run import REPO_ROOT, copy_project, copy_scenario, remove_copy

TESTPROJECT = REPO_ROOT / "testproject"

SERVER_NAMES = """

# Added to this copy by tests/support/projects.py: server database names of
# their own for this checkout and pytest-xdist worker.
for _alias in DATABASES.values():
    if not _alias["ENGINE"].endswith("sqlite3"):
        _alias["NAME"] = f"{{_alias['NAME']}}{suffix}"
"""


def scenario_copy(relative_path, scope="module"):
    """A fixture yielding a copy of ``tests/scenarios/<relative_path>``."""

    @pytest.fixture(scope=scope)
    def project():
        path = copy_scenario(relative_path)
        try:
            yield path
        finally:
            remove_copy(path)

    return project


def copy_testproject():
    """A copy of ``testproject/`` whose server database names are this
    checkout's and worker's own. The caller removes it (``remove_copy``)."""
    path = copy_project(TESTPROJECT)
    settings = path / "testproject" / "settings.py"
    settings.write_text(settings.read_text() + SERVER_NAMES.format(suffix=name_suffix()))
    return path


def copied_testproject(scope="module"):
    """A fixture yielding ``copy_testproject()``."""

    @pytest.fixture(scope=scope)
    def project():
        path = copy_testproject()
        try:
            yield path
        finally:
            remove_copy(path)

    return project
