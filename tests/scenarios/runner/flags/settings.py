"""Scenario: a small library app whose tests carry tags (class, method,
inherited), names to select with -k, a failing test that queries, a slow
test and a test that prints, to compare Nose2TestRunner's flags with
Django's runner."""
from pathlib import Path

from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "scenario"
INSTALLED_APPS = ["django.contrib.contenttypes", "library"]
DATABASES = database_settings("runner_flags", BASE_DIR)
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"
