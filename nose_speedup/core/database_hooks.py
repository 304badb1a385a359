"""Hooks the django plugin fires so that other plugins can take over a step.

nose2 lets a plugin define new hooks (``Plugin.addMethods``); any plugin that
implements a method of that name receives the event. The django plugin fires:

``prepareTestDatabases(event)``
    Before the guards check the test database names and servers. A plugin
    that will set the databases up itself changes their settings here (the
    reuse-db plugin keeps an in-memory SQLite test database in a file), so
    that the guards, run once after it, see the names that will be used.

``setUpTestDatabases(event)``
    Before it creates the test databases. A plugin that sets them up itself
    (the reuse-db plugin) does so, stores what ``tearDownTestDatabases`` needs
    in ``event.old_config`` and sets ``event.handled = True``. Otherwise the
    django plugin runs Django's own ``setup_databases``.

``tearDownTestDatabases(event)``
    At the end of the run, with the ``old_config`` of the set-up step. A plugin
    that handled the set-up handles this too and sets ``event.handled``.
"""

from nose2.events import Event

from nose_speedup.compat import nose2_compat

PREPARE_TEST_DATABASES = "prepareTestDatabases"
SET_UP_TEST_DATABASES = "setUpTestDatabases"
TEAR_DOWN_TEST_DATABASES = "tearDownTestDatabases"
HOOK_NAMES = (PREPARE_TEST_DATABASES, SET_UP_TEST_DATABASES, TEAR_DOWN_TEST_DATABASES)


class TestDatabasesEvent(Event):
    """Preparation, set-up or tear-down of the test databases.

    ``verbosity``: the run's verbosity (nose2's ``-v``), as Django's.
    ``aliases``: dict of alias -> whether a selected test needs
    ``serialized_rollback`` on it (Django's ``get_databases()``).
    ``serialized_aliases``: the aliases to serialize.
    ``old_config``: what tear-down needs; set by whoever set up.
    """

    _attrs = nose2_compat.event_attributes(
        "verbosity", "aliases", "serialized_aliases", "old_config"
    )

    def __init__(self, verbosity, aliases, serialized_aliases, old_config=None, **kw):
        self.verbosity = verbosity
        self.aliases = aliases
        self.serialized_aliases = serialized_aliases
        self.old_config = old_config
        super().__init__(**kw)
