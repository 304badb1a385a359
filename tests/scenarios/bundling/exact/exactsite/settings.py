"""Small apps whose test classes try each way a bundle could change an
outcome: a bundle's last class that never finishes, settings overrides,
module fixtures, a closed connection, primary keys. Each module of
``exact.tests`` is run on its own, bundled and under Django's runner."""

from pathlib import Path

from tests.scenarios.bundling.support.engines import scenario_engine
from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "nose-speedup-scenario"
INSTALLED_APPS = ["tests.scenarios.bundling.support.loadcount", "exact"]
DATABASES = database_settings("bundling_exact", BASE_DIR)
DATABASES["default"]["ENGINE"] = scenario_engine("leftovers")
USE_TZ = True
TIME_ZONE = "UTC"
FIXTURE_DIRS = []
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
