"""Bundles whose fixtures cannot load (a missing file, malformed JSON, an
unknown model, an unknown field) next to one that loads fine."""

from pathlib import Path

from tests.scenarios.bundling.support.engines import scenario_engine
from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "nose-speedup-scenario"
INSTALLED_APPS = ["tests.scenarios.bundling.support.loadcount", "badfix"]
DATABASES = database_settings("bundling_badfix", BASE_DIR)
DATABASES["default"]["ENGINE"] = scenario_engine("leftovers")
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
