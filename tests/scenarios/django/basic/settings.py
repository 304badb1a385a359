"""Scenario: a small Django project whose suite has every kind of test class,
passing, failing, erroring and skipped tests, and a class whose setUpClass fails."""
from pathlib import Path

from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "scenario"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "shelf"]
DATABASES = database_settings("django_basic", BASE_DIR, extra_aliases=["other"])
DATABASE_ROUTERS = []
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"
ROOT_URLCONF = "urls"
ALLOWED_HOSTS = ["*"]
STATIC_URL = "/static/"
