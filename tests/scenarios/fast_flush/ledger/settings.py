"""Scenario: TransactionTestCase classes of every kind Django's flush treats
differently (plain, available_apps with a referencing table outside them,
serialized_rollback, reset_sequences, a trigger, a foreign key from a table
Django does not flush). After each test, ledger/state.py writes every
table's rows and every sequence's value as a JSON line to the file named by
FLUSH_STATE_FILE, so that runs with and without the fast flush compare."""
import os
from pathlib import Path

from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "scenario"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "ledger",
    "notes",
]
DATABASES = database_settings("fast_flush_ledger", BASE_DIR)
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"
NOSE_FAST_FLUSH = os.environ.get("SCENARIO_FAST_FLUSH", "1") == "1"
