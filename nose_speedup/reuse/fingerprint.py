"""What a test database's schema was built from, as a manifest of hashes.

The manifest maps a readable key to a short hash of its content:

``django``                                  the Django version (kept verbatim)
``setting AUTH_USER_MODEL`` ...             the settings that shape the schema
``setting DATABASES['default']['OPTIONS']`` the alias's schema-shaping settings
``app blog``                                each installed app
``migration shop/0001_initial.py``          each migration file, by content
``models blog/models.py``                   model sources of apps without
                                            migrations (all apps if the
                                            alias's ``TEST['MIGRATE']`` is off)
``source shop.seeding``                     project modules (not Django's,
                                            not installed packages) that
                                            build rows or tables too: the
                                            modules of ``post_migrate``
                                            handlers and the modules they
                                            import, the modules a migration
                                            that uses ``RunPython`` imports,
                                            and the modules of abstract base
                                            models of an app built from its
                                            models

Computing it reads files and settings only: migrations packages are located
with ``importlib.util.find_spec``, never imported (the imports of a
migration are read from its source with ``ast``), and no migration graph is
built, so a run that reuses its database stays as cheap as ``django.setup()``.
Imports are followed one step: a module that a handler's module imports is
covered, the modules that one imports are not.
``changes(old, new)`` says in words why two manifests differ.
"""

import hashlib
import importlib.util
import json
import os
import sys
from functools import cache

from nose_speedup.reuse import project_sources

GLOBAL_SETTINGS = (
    "INSTALLED_APPS",
    "MIGRATION_MODULES",
    "AUTH_USER_MODEL",
    "DATABASE_ROUTERS",
    "DEFAULT_AUTO_FIELD",
)
DATABASE_SETTINGS = ("ENGINE", "OPTIONS")
TEST_SETTINGS = ("CHARSET", "COLLATION", "TEMPLATE", "MIGRATE")
SHOWN_CHANGES = 3


def _hash(data):
    return hashlib.sha256(data).hexdigest()[:16]


def _stable(value):
    """A text form of a setting that is the same in every process (objects
    are named by class, never by ``repr``, which may hold an address)."""
    return json.dumps(
        value, sort_keys=True, default=lambda o: f"{type(o).__module__}.{type(o).__qualname__}"
    )


def _settings_entries(alias, settings_dict):
    from django.conf import settings

    entries = {f"setting {name}": getattr(settings, name, None) for name in GLOBAL_SETTINGS}
    # createcachetable makes the tables of database caches part of the schema.
    entries["setting CACHES"] = {
        alias: cache.get("LOCATION")
        for alias, cache in getattr(settings, "CACHES", {}).items()
        if cache.get("BACKEND", "").endswith("DatabaseCache")
    }
    for name in DATABASE_SETTINGS:
        entries[f"setting DATABASES[{alias!r}][{name!r}]"] = settings_dict.get(name)
    for name in TEST_SETTINGS:
        value = settings_dict.get("TEST", {}).get(name)
        entries[f"setting DATABASES[{alias!r}]['TEST'][{name!r}]"] = value
    return {key: _hash(_stable(value).encode()) for key, value in entries.items()}


def _file_entries(kind, label, paths, base):
    entries = {}
    for path in paths:
        relative = os.path.relpath(path, base) if path.startswith(base + os.sep) else path
        with open(path, "rb") as handle:
            entries[f"{kind} {label}/{relative.replace(os.sep, '/')}"] = _hash(handle.read())
    return entries


def migration_files(app_config):
    """The migration files of an app, as Django's loader would find them, or
    ``None`` when the app has no migrations package."""
    from django.db.migrations.loader import MigrationLoader

    module_name, _explicit = MigrationLoader.migrations_module(app_config.label)
    if module_name is None:
        return None
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations or spec.origin in (None, "namespace"):
        return None
    files = []
    for directory in spec.submodule_search_locations:
        for entry in os.scandir(directory):
            # Django's loader skips private modules and sub-packages.
            if entry.name.endswith(".py") and entry.name[0] not in "_~" and entry.is_file():
                files.append(entry.path)
    return sorted(files)


def model_files(app_config):
    """The source files defining an app's models (they may live outside
    ``models.py``): what an app without migrations is built from."""
    modules = {model.__module__ for model in app_config.get_models(include_auto_created=True)}
    if app_config.models_module is not None:
        modules.add(app_config.models_module.__name__)
    files = (getattr(sys.modules.get(name), "__file__", None) for name in modules)
    return sorted(path for path in files if path and path.endswith(".py"))


def manifest(alias, settings_dict):
    """The manifest of the schema the test database of ``alias`` (whose
    connection has ``settings_dict``) is built from."""
    import django

    migrate = settings_dict.get("TEST", {}).get("MIGRATE", True) is not False
    return {
        "django": django.get_version(),
        **_settings_entries(alias, settings_dict),
        **_app_entries(migrate),
    }


@cache
def _app_entries(migrate):
    from django.apps import apps

    from nose_speedup.compat import django_testdb

    entries, sources = {}, set()
    for app_config in apps.get_app_configs():
        label = app_config.label
        entries[f"app {label}"] = _hash(app_config.name.encode())
        files = migration_files(app_config) if migrate else None
        if files is not None:
            base = _directory(files)
            for path in files:
                relative = os.path.relpath(path, base).replace(os.sep, "/")
                with open(path, "rb") as handle:
                    source = handle.read()
                entries[f"migration {label}/{relative}"] = _hash(source)
                if b"RunPython" in source:
                    package = f"{app_config.name}.migrations"
                    sources.update(project_sources.imported_modules(source, path, package))
        else:
            entries.update(_file_entries("models", label, model_files(app_config), app_config.path))
            sources.update(project_sources.abstract_base_modules(app_config))
    for receiver in django_testdb.post_migrate_receivers():
        module = sys.modules.get(getattr(receiver, "__module__", None) or "")
        path = getattr(module, "__file__", None)
        if path and project_sources.is_project_file(path):
            sources.add(module.__name__)
            with open(path, "rb") as handle:
                imported = project_sources.imported_modules(handle.read(), path, module.__package__)
                sources.update(imported)
    for name in sorted(sources):
        path = project_sources.module_file(name)
        if path is not None:
            with open(path, "rb") as handle:
                entries[f"source {name}"] = _hash(handle.read())
    return entries


def _directory(files):
    return os.path.dirname(files[0]) if files else ""


def digest(entries):
    """One hash of a whole manifest."""
    return _hash(_stable(sorted(entries.items())).encode())


def migration_count(entries):
    return sum(1 for key in entries if key.startswith("migration "))


def changes(old, new):
    """Why ``old`` and ``new`` differ, most telling first, e.g.
    ``["migration shop/0900_branch.py removed", "app 'blog' added"]``.
    Files of an app that was added or removed are not listed one by one."""
    added_or_removed = old.keys() ^ new.keys()
    apps_changed = {key.split(" ", 1)[1] for key in added_or_removed if key.startswith("app ")}
    found = []
    if old.get("django") != new.get("django"):
        found.append(f"Django {old.get('django')} -> {new.get('django')}")
    for key in sorted(old.keys() | new.keys()):
        if key == "django" or old.get(key) == new.get(key):
            continue
        kind, _, name = key.partition(" ")
        if kind in ("migration", "models") and name.split("/", 1)[0] in apps_changed:
            continue
        what = f"app {name!r}" if kind == "app" else key
        status = "added" if key not in old else "removed" if key not in new else "changed"
        found.append(f"{what} {status}")
    order = {"setting": 0, "app": 1, "migration": 2, "models": 3, "source": 4}
    found.sort(key=lambda text: order.get(text.split(" ", 1)[0], -1))
    return found


def summary(reasons):
    """The reasons as one line, at most ``SHOWN_CHANGES`` of them."""
    shown = ", ".join(reasons[:SHOWN_CHANGES])
    more = len(reasons) - SHOWN_CHANGES
    return f"{shown} and {more} more change{'s' if more > 1 else ''}" if more > 0 else shown
