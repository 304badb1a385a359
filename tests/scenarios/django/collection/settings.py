"""Scenario: a suite that nose2's own loaders would collect differently from
Django's runner (module-level test functions, a view subclass named Test*,
generators, load_tests) and views that log, so that what each runner collects
and prints can be compared."""
from pathlib import Path

from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "scenario"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "library"]
DATABASES = database_settings("django_collection", BASE_DIR)
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"
ROOT_URLCONF = "urls"
ALLOWED_HOSTS = ["*"]

# A project logger with its own console handler: Django's runner prints its
# records once, in this format.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"audit": {"format": "audit line: %(message)s"}},
    "handlers": {"audit": {"class": "logging.StreamHandler", "formatter": "audit"}},
    "loggers": {"library.audit": {"handlers": ["audit"], "level": "INFO"}},
}
