"""Scenario: a project whose test databases the reuse-db plugin keeps: a
default alias, a second database (``other``) and a mirror of the default
(``replica``). ``NSP_DB_NAME`` names the databases, so that each test has
its own on a server. ``NSP_CONTRIB_POSTGRES`` adds django.contrib.postgres
and ``pgextras`` (hstore, citext and a ``connection_created`` receiver)."""
import os
from pathlib import Path

from tests.support.databases import database_settings

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "scenario"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "shop"]
DATABASES = database_settings(
    os.environ.get("NSP_DB_NAME", "reuse_shop"), BASE_DIR, extra_aliases=["other"]
)
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
if os.environ.get("NSP_CONTRIB_POSTGRES"):  # PostgreSQL only: hstore, citext, a receiver
    INSTALLED_APPS += ["django.contrib.postgres", "pgextras"]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TEST_RUNNER = "nose_speedup.runner.Nose2TestRunner"

__import__("kill").signal_on_sql()  # a test's trap, when NSP_SIGNAL_ON_SQL asks for it
