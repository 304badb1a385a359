"""A depot whose tests share fixtures two ways: FastFixtureTestCase classes
(bundled) and plain django.test.TestCase classes (the advisor's material),
with a project base class, a class alone with its fixtures, a
TransactionTestCase and a SimpleTestCase."""

from pathlib import Path

from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "nose-speedup-scenario"
INSTALLED_APPS = ["tests.scenarios.bundling.support.loadcount", "depot"]
DATABASES = database_settings("timing_depot", BASE_DIR)
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"
