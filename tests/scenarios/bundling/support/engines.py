"""Database engines for the scenarios: the engine ``NOSE_SPEEDUP_TEST_DB``
selects, wrapped.

``leftovers`` reports, just before a test database is destroyed and on the
very connection the tests used, what is left in it: one JSON line appended
to the file named by ``NSP_LEFTOVER_LOG`` with the alias, whether an atomic
block is still open, and the row count of each model of the apps named in
``NSP_LEFTOVER_APPS`` (comma-separated). A bundle left open or committed
shows up there as rows or as an open block. ``no_transactions`` does the
same and claims the database has no transactions.

Each wrapper lives in a package named like the engine it wraps
(``.../leftovers/sqlite3``), because code that tells SQLite apart by the
last part of ``ENGINE`` must still see SQLite.
"""

import importlib
import json
import os

from tests.support.databases import selected_backend

ENGINE_MODULES = {
    "sqlite": "sqlite3",
    "postgresql": "postgresql",
    "mariadb": "mysql",
}


def scenario_engine(family):
    """ENGINE of ``family`` (``leftovers`` or ``no_transactions``) for the
    selected backend."""
    return f"tests.scenarios.bundling.support.{family}.{ENGINE_MODULES[selected_backend()]}"


def report_leftovers(connection):
    from django.apps import apps

    path = os.environ.get("NSP_LEFTOVER_LOG")
    if not path:
        return
    counts = {}
    for label in filter(None, os.environ.get("NSP_LEFTOVER_APPS", "").split(",")):
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model._base_manager.using(connection.alias).count()
    line = {
        "alias": connection.alias,
        "in_atomic_block": connection.in_atomic_block,
        "counts": counts,
    }
    with open(path, "a") as log:
        log.write(json.dumps(line) + "\n")


def database_wrapper(engine_module, supports_transactions=True):
    """A DatabaseWrapper class of Django's ``engine_module`` (``sqlite3``...)
    that reports leftovers, optionally without transactions."""
    django_base = importlib.import_module(f"django.db.backends.{engine_module}.base")

    class DatabaseCreation(django_base.DatabaseWrapper.creation_class):
        def destroy_test_db(self, *args, **kwargs):
            report_leftovers(self.connection)
            return super().destroy_test_db(*args, **kwargs)

    features = {} if supports_transactions else {"supports_transactions": False}
    DatabaseFeatures = type(
        "DatabaseFeatures", (django_base.DatabaseWrapper.features_class,), features
    )
    return type(
        "DatabaseWrapper",
        (django_base.DatabaseWrapper,),
        {"creation_class": DatabaseCreation, "features_class": DatabaseFeatures},
    )
