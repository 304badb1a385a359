"""What a reused test database is fingerprinted from
(``nose_speedup.reuse.fingerprint``): the migration files Django's loader
would find, and the manifest of settings, apps and files, computed by a
configured Django in a subprocess on a small project written per test."""

import shutil

import pytest

from tests.support.django_snippet import run_snippet

# SQLite settings whatever NOSE_SPEEDUP_TEST_DB says.
pytestmark = pytest.mark.backend_independent

MODELS = """
from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=20)
"""

FILES = {
    "shop/__init__.py": "",
    "shop/models.py": MODELS,
    "shop/migrations/__init__.py": "",
    "shop/migrations/0001_initial.py": "# initial\n",
    "shop/migrations/0002_more.py": "# more\n",
    "shop/migrations/_helpers.py": "# private: not a migration\n",
    "shop/migrations/~0003_backup.py": "# editor backup: not a migration\n",
    "shop/migrations/notes.txt": "not a migration\n",
    "shop/migrations/nested/__init__.py": "",
    "shop/migrations/nested/0004_nested.py": "# sub-package: not a migration\n",
    "shop/other_migrations/__init__.py": "",
    "shop/other_migrations/0001_other.py": "# other\n",
    "blog/__init__.py": "",
    "blog/models.py": MODELS,
}

SNIPPET = """
import os
from django.apps import apps
from django.conf import settings
from nose_speedup.reuse import fingerprint

def names(files):
    return None if files is None else [os.path.basename(path) for path in files]

result = {
    "shop": names(fingerprint.migration_files(apps.get_app_config("shop"))),
    "blog": names(fingerprint.migration_files(apps.get_app_config("blog"))),
    "manifest": fingerprint.manifest("default", settings.DATABASES["default"]),
}
"""


def write_project(root):
    for relative, text in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def project(tmp_path):
    return write_project(tmp_path / "project")


def fingerprint_of(project, test=None, options=None, **settings):
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(project / "db.sqlite3")}
    if test is not None:
        database["TEST"] = test
    if options is not None:
        database["OPTIONS"] = options
    settings = {"INSTALLED_APPS": ["shop", "blog"], "DATABASES": {"default": database},
                "DEFAULT_AUTO_FIELD": "django.db.models.AutoField", **settings}
    return run_snippet(SNIPPET, settings=settings, path=[project], cwd=project)


def changed(old, new):
    return sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))


def test_migration_files_are_the_modules_djangos_loader_would_load(project):
    assert fingerprint_of(project)["shop"] == ["0001_initial.py", "0002_more.py"]


def test_app_without_a_migrations_package_has_no_migration_files(project):
    assert fingerprint_of(project)["blog"] is None


def test_migration_modules_setting_moves_or_disables_migrations(project):
    moved = fingerprint_of(project, MIGRATION_MODULES={"shop": "shop.other_migrations"})
    assert moved["shop"] == ["0001_other.py"]
    assert fingerprint_of(project, MIGRATION_MODULES={"shop": None})["shop"] is None


def test_manifest_names_django_apps_migrations_models_and_settings(project):
    import django

    manifest = fingerprint_of(project)["manifest"]
    assert manifest["django"] == django.get_version()
    files = sorted(key for key in manifest if key.split()[0] in ("app", "migration", "models"))
    assert files == [
        "app blog", "app shop", "migration shop/0001_initial.py", "migration shop/0002_more.py",
        "models blog/models.py",
    ]
    for key in ("setting INSTALLED_APPS", "setting AUTH_USER_MODEL",
                "setting DATABASES['default']['ENGINE']",
                "setting DATABASES['default']['TEST']['MIGRATE']"):
        assert key in manifest


def test_without_migrations_in_test_settings_models_are_fingerprinted_instead(project):
    manifest = fingerprint_of(project, test={"MIGRATE": False})["manifest"]
    assert "models shop/models.py" in manifest
    assert not [key for key in manifest if key.startswith("migration ")]


def test_manifest_is_the_same_for_the_same_code_at_another_path(project, tmp_path):
    elsewhere = tmp_path / "another" / "checkout"
    shutil.copytree(project, elsewhere)
    assert fingerprint_of(elsewhere)["manifest"] == fingerprint_of(project)["manifest"]


def test_editing_or_adding_a_migration_changes_only_its_entry(project):
    before = fingerprint_of(project)["manifest"]
    (project / "shop/migrations/0002_more.py").write_text("# more, edited\n")
    (project / "shop/migrations/0003_new.py").write_text("# new\n")
    (project / "shop/migrations/_helpers.py").write_text("# private, edited\n")
    after = fingerprint_of(project)["manifest"]
    assert changed(before, after) == [
        "migration shop/0002_more.py", "migration shop/0003_new.py",
    ]


def test_a_schema_setting_changes_only_its_entry(project):
    before = fingerprint_of(project)["manifest"]
    after = fingerprint_of(project, options={"timeout": 30})["manifest"]
    assert changed(before, after) == ["setting DATABASES['default']['OPTIONS']"]


def test_a_setting_that_does_not_shape_the_schema_changes_nothing(project):
    before = fingerprint_of(project)["manifest"]
    after = fingerprint_of(project, TIME_ZONE="Europe/Paris", DEBUG=True)["manifest"]
    assert changed(before, after) == []
