"""Scenario: a small project with sessions, signal receivers and several
TestCase classes, for the speedups plugin. Tests write what they saw (query
counts, receivers called, backend connections) as JSON lines to the file
named by SPEEDUPS_REPORT (desk/report.py)."""
import json
import os
from pathlib import Path

from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "scenario"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "desk",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
# The project's own cache: sessions must never land here.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": "desk-project-cache"}}
DATABASES = database_settings("speedups_desk", BASE_DIR)
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
ROOT_URLCONF = "urls"
ALLOWED_HOSTS = ["*"]
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"
# Nose2TestRunner's switch, from the environment so one scenario serves every case.
NOSE_SPEEDUPS = json.loads(os.environ.get("SCENARIO_NOSE_SPEEDUPS", "[]"))
SESSION_ENGINE = os.environ.get("SCENARIO_SESSION_ENGINE", "django.contrib.sessions.backends.db")
