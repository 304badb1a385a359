"""Fixture-sharing classes on a database that claims no transactions:
bundling must stand aside, say so, and change nothing."""

from pathlib import Path

from tests.scenarios.bundling.support.engines import scenario_engine
from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "nose-speedup-scenario"
INSTALLED_APPS = ["tests.scenarios.bundling.support.loadcount", "notrans"]
DATABASES = database_settings("bundling_notrans", BASE_DIR)
DATABASES["default"]["ENGINE"] = scenario_engine("no_transactions")
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
