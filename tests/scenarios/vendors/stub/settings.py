"""Scenario: a project on a database backend nose-speedup has no package
for, ``stubsql`` (SQLite under another ``connection.vendor``).
``NSP_STUB_VENDOR=1`` registers ``stub_vendor.StubVendor`` for it through
``nose_speedup.vendors.register``, as a project with a third-party backend
would; without it, the vendor is unsupported."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "scenario"
INSTALLED_APPS = ["django.contrib.contenttypes", "notes"]
DATABASES = {"default": {"ENGINE": "stubsql", "NAME": str(BASE_DIR / "db.sqlite3")}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True

if os.environ.get("NSP_STUB_VENDOR"):
    from nose_speedup import vendors
    from stub_vendor import StubVendor

    vendors.register(StubVendor)
