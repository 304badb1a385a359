"""DATABASES for scenario projects, picked by the ``NOSE_SPEEDUP_TEST_DB``
environment variable: ``sqlite`` (the default), ``postgresql`` or ``mariadb``.

Server settings come from the environment with this machine's defaults:
``NOSE_SPEEDUP_PG_HOST/PORT/USER/PASSWORD`` (127.0.0.1, 5432, root, empty) and
``NOSE_SPEEDUP_MYSQL_HOST/PORT/USER/PASSWORD`` (127.0.0.1, 3306, root, empty).

A scenario's settings module calls ``database_settings("bundling_basic")`` and
gets one ``default`` alias (plus any ``extra_aliases``) whose real and test
database names are unique to the scenario, so scenarios never share a
database on a server.
"""

import hashlib
import os
from pathlib import Path

BACKENDS = ("sqlite", "postgresql", "mariadb")


def selected_backend():
    backend = os.environ.get("NOSE_SPEEDUP_TEST_DB", "sqlite").strip().lower() or "sqlite"
    if backend == "mysql":
        backend = "mariadb"
    if backend not in BACKENDS:
        raise RuntimeError(
            f"NOSE_SPEEDUP_TEST_DB={backend!r} is not one of {', '.join(BACKENDS)}"
        )
    return backend


def name_suffix():
    """What makes server-side database names unique to this checkout and to
    this pytest-xdist worker, so that two runs of the suite (two checkouts,
    or two workers) never share a database on one server.
    ``NOSE_SPEEDUP_DB_SUFFIX`` overrides it."""
    if "NOSE_SPEEDUP_DB_SUFFIX" in os.environ:
        return os.environ["NOSE_SPEEDUP_DB_SUFFIX"]
    checkout = hashlib.sha256(str(Path(__file__).resolve().parents[2]).encode()).hexdigest()[:4]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"_{checkout}{worker}"


def server_settings(backend=None):
    """ENGINE/HOST/PORT/USER/PASSWORD of the selected server backend."""
    backend = backend or selected_backend()
    if backend == "postgresql":
        return {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": os.environ.get("NOSE_SPEEDUP_PG_HOST", "127.0.0.1"),
            "PORT": os.environ.get("NOSE_SPEEDUP_PG_PORT", "5432"),
            "USER": os.environ.get("NOSE_SPEEDUP_PG_USER", "root"),
            "PASSWORD": os.environ.get("NOSE_SPEEDUP_PG_PASSWORD", ""),
        }
    if backend == "mariadb":
        return {
            "ENGINE": "django.db.backends.mysql",
            "HOST": os.environ.get("NOSE_SPEEDUP_MYSQL_HOST", "127.0.0.1"),
            "PORT": os.environ.get("NOSE_SPEEDUP_MYSQL_PORT", "3306"),
            "USER": os.environ.get("NOSE_SPEEDUP_MYSQL_USER", "root"),
            "PASSWORD": os.environ.get("NOSE_SPEEDUP_MYSQL_PASSWORD", ""),
            "OPTIONS": {"charset": "utf8mb4"},
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    return {"ENGINE": "django.db.backends.sqlite3"}


def database_alias(name, base_dir, backend=None):
    """Settings of one alias whose databases are named after ``name``."""
    backend = backend or selected_backend()
    settings = server_settings(backend)
    if backend == "sqlite":
        settings["NAME"] = os.path.join(str(base_dir), f"{name}.sqlite3")
    else:
        name = f"{name}{name_suffix()}"
        settings["NAME"] = f"nsp_{name}"
        settings.setdefault("TEST", {})
        settings["TEST"] = dict(settings["TEST"], NAME=f"test_nsp_{name}")
    return settings


def database_settings(name, base_dir, extra_aliases=(), backend=None):
    """DATABASES with ``default`` and each of ``extra_aliases``."""
    databases = {"default": database_alias(name, base_dir, backend)}
    for alias in extra_aliases:
        databases[alias] = database_alias(f"{name}_{alias}", base_dir, backend)
    return databases
