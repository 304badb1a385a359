"""Scenario (PostgreSQL): tables whose rows the test user cannot all see,
for the fast flush (nose_speedup.plugins.fast_flush). The test user is the
role NOSE_SPEEDUP_PG_USER names, which must not be a superuser (a superuser
sees every row whatever the policies say)."""
from pathlib import Path

from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "scenario"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "vault"]
DATABASES = database_settings("fast_flush_secured", BASE_DIR)
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"
