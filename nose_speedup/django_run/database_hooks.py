"""Hooks the django plugin fires so that other plugins can take over a step.

nose2 lets a plugin define new hooks (``Plugin.addMethods``); any plugin that
implements a method of that name receives the event. The django plugin fires:

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

SET_UP_TEST_DATABASES = "setUpTestDatabases"
TEAR_DOWN_TEST_DATABASES = "tearDownTestDatabases"
HOOK_NAMES = (SET_UP_TEST_DATABASES, TEAR_DOWN_TEST_DATABASES)


class TestDatabasesEvent(Event):
    """Set-up or tear-down of the test databases.

    ``runner``: the ``django.test.runner.DiscoverRunner`` whose settings
    (verbosity, interactive, keepdb, parallel) the run uses.
    ``aliases``: dict of alias -> whether a selected test needs
    ``serialized_rollback`` on it (Django's ``get_databases()``).
    ``serialized_aliases``: the aliases to serialize.
    ``old_config``: what tear-down needs; set by whoever set up.
    """

    _attrs = Event._attrs + ("runner", "aliases", "serialized_aliases", "old_config")

    def __init__(self, runner, aliases, serialized_aliases, old_config=None, **kw):
        self.runner = runner
        self.aliases = aliases
        self.serialized_aliases = serialized_aliases
        self.old_config = old_config
        super().__init__(**kw)
