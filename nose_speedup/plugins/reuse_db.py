"""Keep test databases between runs; rebuild them by themselves when their
schema changes.

Creating a test database replays every migration. With this plugin a run
keeps its test databases, and the next run reuses them with no ``migrate``,
no flush and no serialization (unless a selected test needs
``serialized_rollback``): one connection and a few queries per database that
check it still is what it was built as (structure, row checksums,
sequences), so that changes made by any other client are seen.

It rebuilds a database by itself when anything it was built from changed:
the Django version, the alias's ``ENGINE``, ``OPTIONS`` and ``TEST``
``CHARSET``/``COLLATION``/``TEMPLATE``/``MIGRATE``, ``INSTALLED_APPS``,
``MIGRATION_MODULES``, ``AUTH_USER_MODEL``, ``DATABASE_ROUTERS``,
``DEFAULT_AUTO_FIELD``, database ``CACHES``, any migration file (added,
edited in place, removed by a branch switch), the models of an app without
migrations and their abstract bases, the modules of ``post_migrate``
handlers and the modules a ``RunPython`` migration imports. It says why:
``Rebuilding test database 'test_shop': migration shop/0900_branch.py
removed``.

Every run starts from what the migrations and ``post_migrate`` handlers
made. After a build the database is copied aside (PostgreSQL: a template
database, and the rows of the tables the build filled in a schema off the
``search_path``; MariaDB/MySQL: a copy of each table; SQLite: a copy of the
file). When the previous run left it dirty (a ``TransactionTestCase`` ran,
rows or DDL were committed, the run was killed) or another client changed
it, only the tables and sequences that differ are put back (no trigger
fires), and the result is checked; a changed structure is restored from the
whole copy (MariaDB/MySQL: rebuilt), saying why. A missing or damaged copy
is rebuilt.

Safety: a test database, or its pristine copy, is never created over a real
``NAME``; a database that has tables but no marker of this project's is
refused, never touched (``REUSE_DB=reset`` rebuilds it once you checked it
is disposable); a pristine copy is dropped or overwritten only if it carries
this project's marker (or is empty); two runs on one database take turns
(the second waits, saying so). With reuse off, a database kept earlier is
dropped with its pristine copy, saying so.

SQLite's in-memory test database cannot be kept: it becomes a file,
``TEST["NAME"]`` if set, else ``test_<file>`` beside the real database file
(``.nose-speedup/test_<alias>.sqlite3`` for an in-memory ``NAME``).

Hooks: ``prepareTestDatabases``, ``setUpTestDatabases`` and
``tearDownTestDatabases`` (fired by the django plugin,
``nose_speedup.hooks``) and ``startTest`` (to see which
tests may commit).

Switch: load the plugin (``manage.py test`` with ``Nose2TestRunner`` loads
it), then turn reuse on with ``REUSE_DB=1``, ``--reuse-db``, ``reuse = True``
below, or ``manage.py test --keepdb``. ``REUSE_DB=reset`` or ``--create-db``
rebuilds first. ``REUSE_DB=0`` (or unset, with ``reuse = False``) leaves
Django's create-and-destroy alone. The command line beats ``REUSE_DB``,
which beats the config file.

.. code-block:: ini

    [reuse-db]
    # keep and reuse test databases, as REUSE_DB=1 does
    reuse = False
    # seconds to wait for another run that uses the same test database,
    # or for another client's lock on it (see reuse/blocking.py)
    lock-timeout = 300
    # an artifact (python -m nose_speedup.db save PATH) to load a test
    # database from instead of building it; empty: none
    artifact =

A test database that would be built is loaded from ``artifact`` when the
artifact is this project's, for this Django version, intact, and built from
today's migrations or a prefix of them (the new ones are then applied on
top); otherwise the run says why and builds it. See ``nose_speedup.db``.

Under ``--django-parallel`` the kept databases are the source of the
workers' copies; a ``TransactionTestCase`` that ran in a worker ran on its
copy and leaves the kept database clean. nose2's ``mp`` plugin is refused
at start-up by the django plugin; parallel runs are
``nose_speedup.plugins.parallel``'s (``--django-parallel``).
"""

import os

from nose2.events import Plugin

from nose_speedup import config, hooks, options
from nose_speedup.compat.nose2_compat import OncePerSession
from nose_speedup.errors import ConfigurationError

SOURCE = "reuse-db plugin"
OFF, REUSE, RESET = "off", "reuse", "reset"
ENVIRONMENT_VALUES = {
    "": None, "0": OFF, "false": OFF, "no": OFF, "off": OFF,
    "1": REUSE, "true": REUSE, "yes": REUSE, "on": REUSE, "reset": RESET,
}


def mode_from(environment_value, configured_reuse):
    """``REUSE_DB`` beats the config file; unset or empty defers to it."""
    text = (environment_value or "").strip().lower()
    if text not in ENVIRONMENT_VALUES:
        raise ConfigurationError(
            SOURCE,
            f"REUSE_DB={environment_value!r} is not one of 1, 0 or reset. Set REUSE_DB=1 to "
            "keep and reuse test databases, REUSE_DB=reset to rebuild them, or unset it",
        )
    return ENVIRONMENT_VALUES[text] or (REUSE if configured_reuse else OFF)


class ReuseDbPlugin(Plugin, metaclass=OncePerSession):
    """Keep test databases between runs."""

    configSection = "reuse-db"
    alwaysOn = True

    def __init__(self):
        self.config = config.StrictSection(self.session, self.configSection, SOURCE)
        values = options.read("reuse_db", self.config)
        self.mode = mode_from(os.environ.get("REUSE_DB"), values["reuse"])
        self.lock_timeout = values["lock_timeout"]
        self.artifact = values["artifact"]
        self.databases = None
        options.add_flags(self, self._set_option)

    def handleArgs(self, event):
        hooks.put_in_order(self.session)  # nose_speedup.hooks: the order of a run

    def _set_option(self, option, _):
        if option.name == "create_db":  # --create-db
            self.mode = RESET
        elif self.mode != RESET:  # --reuse-db
            self.mode = REUSE

    def prepareTestDatabases(self, event):
        if self.mode != OFF:
            from nose_speedup.reuse import lifecycle

            lifecycle.prepare(event.aliases)

    def setUpTestDatabases(self, event):
        if event.handled:
            return
        from nose_speedup.reuse import lifecycle, ownership

        if self.mode == OFF:
            ownership.forget(event.aliases)
            return
        artifact = None
        if self.artifact:
            from nose_speedup.artifacts import loading

            artifact = loading.ArtifactSource(self.artifact)
        self.databases = lifecycle.set_up(
            event.verbosity,
            event.aliases,
            event.serialized_aliases,
            reset=self.mode == RESET,
            lock_timeout=self.lock_timeout,
            artifact=artifact,
            recorder=hooks.find_recorder(self.session),
        )
        event.old_config = self.databases
        event.handled = True

    def startTest(self, event):
        if self.databases is not None:
            # A test replayed from a parallel worker ran on the worker's copy.
            if not hooks.ran_in_worker(event.test):
                self.databases.note_test(event.test)

    def tearDownTestDatabases(self, event):
        if self.databases is None or event.old_config is not self.databases or event.handled:
            return
        from nose_speedup.reuse import lifecycle

        databases, self.databases = self.databases, None
        lifecycle.tear_down(databases)
        event.handled = True
