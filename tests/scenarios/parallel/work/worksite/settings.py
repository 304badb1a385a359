"""A suite of fixture bundles, plain classes and TransactionTestCases for
parallel runs. Switches in the environment make one test misbehave:
``NSP_KILL`` (kills its worker; ``exit``: ``os._exit(3)``), ``NSP_FAILFAST`` (one early failure while
another worker is busy), ``NSP_BLOCK`` (blocks, for Ctrl-C),
``NSP_MARKERS`` (directory for the files tests leave to say they ran),
``NSP_BREAK_WORKERS`` (these settings fail to import in a worker process),
``NSP_SLEEP`` (a test and a class set-up take a known minimum time),
``NSP_MODULE_LOG`` (file each ``setUpModule``/``tearDownModule`` appends
``step module pid`` to), ``NSP_SETUP_MODULE_FAILS``/``NSP_SETUP_MODULE_SKIPS``/
``NSP_TEARDOWN_MODULE_FAILS`` (a test module's name: that step of it fails
or skips).
``worksite.durations_probe`` is a nose2 plugin that writes what the
``recordDurations`` hook receives to ``NSP_DURATIONS_OUT``."""

import multiprocessing
import os
from pathlib import Path

from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "nose-speedup-scenario"
INSTALLED_APPS = ["tests.scenarios.bundling.support.loadcount", "work"]
DATABASES = database_settings("parallel_work", BASE_DIR)
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"

if os.environ.get("NSP_BREAK_WORKERS") and multiprocessing.parent_process() is not None:
    raise RuntimeError("these settings refuse to load in a worker process")
