"""A shop whose test classes share three fixture sets, interleaved across
modules, with the classes bundling must survive: skipped ones first and last
in a bundle, failing setUpTestData, multi-database, serialized_rollback, an
exempt one, a plain TestCase and a TransactionTestCase."""

from pathlib import Path

from tests.scenarios.bundling.support.engines import scenario_engine
from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "nose-speedup-scenario"
INSTALLED_APPS = ["tests.scenarios.bundling.support.loadcount", "shop"]
DATABASES = database_settings("bundling_shop", BASE_DIR, extra_aliases=("other",))
for _alias in DATABASES.values():
    _alias["ENGINE"] = scenario_engine("leftovers")
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"
