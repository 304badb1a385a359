"""A small store whose every kind of input (model, view, template, fixture,
form, setting, migration, lazily imported helper, data file, module-level
constant, class attribute, URLconf, signal receiver) some test depends on:
the material of the ``--affected`` exactness test."""

from pathlib import Path

from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "nose-speedup-scenario"
INSTALLED_APPS = ["django.contrib.contenttypes", "store.apps.StoreConfig"]
DATABASES = database_settings("affected_store", BASE_DIR)
ROOT_URLCONF = "storesite.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"
STORE_CURRENCY = "EUR"
