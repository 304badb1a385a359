"""One dominant fixture bundle (18 of the 20 fixture classes share
``people.json``, one class per module), a small bundle of two classes, and
a plain class: the shape a parallel run must split. ``NSP_RAN_LOG``: file each test appends
``pid module.Class`` to; the ``loadcount`` app logs each ``loaddata`` call
with its process id to ``NSP_FIXTURE_LOAD_PID_LOG``."""

from pathlib import Path

from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "nose-speedup-scenario"
INSTALLED_APPS = ["tests.scenarios.bundling.support.loadcount", "crowd"]
DATABASES = database_settings("parallel_dominant", BASE_DIR)
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"
