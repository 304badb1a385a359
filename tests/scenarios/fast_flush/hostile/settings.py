"""Scenario: what a hostile project throws at the fast flush
(nose_speedup.plugins.fast_flush): two databases flushed together
(``databases = "__all__"``), ``available_apps`` with ``reset_sequences`` and
``serialized_rollback`` on both, a table a test creates at run time and
leaves rows in, a self-referential foreign key (rows pointing at each other),
and an unmanaged model whose table a migration made. After each test,
depot/state.py writes every table's rows and every sequence's value of both
databases as a JSON line to the file FLUSH_STATE_FILE names, so that runs
with the fast flush and with Django's flush compare."""
from pathlib import Path

from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "scenario"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "depot"]
DATABASES = database_settings("fast_flush_hostile", BASE_DIR, extra_aliases=["other"])
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"
