"""Scenario: finalizer side effects at exit (tests/functional/django/test_exit_writes.py).
Objects with finalizers are made in the settings, at app loading, at test
module import, in setUpClass and in tests (``exit_probe``)."""
import multiprocessing
import os
from pathlib import Path

import exit_probe
from tests.support.databases import database_settings

if os.environ.get("EXIT_PROBE_SPAWN"):  # Django's --parallel with spawned workers
    multiprocessing.set_start_method("spawn", force=True)

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "scenario"
INSTALLED_APPS = ["ledger.apps.LedgerConfig"]
DATABASES = database_settings("django_exit_writes", BASE_DIR)
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"

RING = exit_probe.make("settings")
