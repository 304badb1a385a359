"""The smaller speed-ups, each off until named: in-memory sessions, suspended
signal receivers, one connection per run, fast test settings.

Load the plugin and switch parts on with flags or in the config::

    nose2 --plugin nose_speedup.plugins.django --plugin nose_speedup.plugins.speedups \\
          --memory-sessions --suspend-signals --keep-connections --fast-settings

    [unittest]
    plugins = nose_speedup.plugins.django
              nose_speedup.plugins.speedups

    [speedups]
    # sessions in a local-memory cache alias of their own
    # ('nose_speedup_sessions'), never in the database or the project's caches
    memory-sessions = False
    # SUSPEND_SIGNALS = True: @suspendingreceiver receivers do nothing
    suspend-signals = False
    # keep PostgreSQL connections open between TestCase classes when
    # nothing a class did survives on them
    keep-connections = False
    # PASSWORD_HASHERS with MD5PasswordHasher first
    fast-settings = False

Under ``manage.py test`` (``Nose2TestRunner``) the setting
``NOSE_SPEEDUPS = ["memory-sessions", "fast-settings", ...]`` does the same.

Hooks:

* ``startTestRun``: applies the parts' settings with ``override_settings``
  (so a class or a test overrides them back: e.g.
  ``@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.db")``
  for a class whose sessions another process reads), starts keeping
  connections (``nose_speedup.speedups.kept_connections``), and writes one line naming
  every setting it changed;
* ``stopTestRun``: undoes both;
* ``afterSummaryReport``: how many connections were opened, kept and closed.

It needs Django configured by the django plugin (or ``manage.py test``).
nose2's ``mp`` plugin is refused at start-up by the django plugin; parallel
runs are ``nose_speedup.plugins.parallel``'s (``--django-parallel``).
"""

import sys

from nose2.events import Plugin

from nose_speedup import config, hooks, options
from nose_speedup.compat.nose2_compat import OncePerSession
from nose_speedup.errors import ConfigurationError
from nose_speedup.speedups import settings_overrides

SOURCE = settings_overrides.SOURCE



class Speedups(Plugin, metaclass=OncePerSession):
    configSection = "speedups"
    alwaysOn = True

    def __init__(self):
        self.config = config.StrictSection(self.session, self.configSection, SOURCE)
        values = options.read("speedups", self.config)
        self.parts = {part for part in settings_overrides.PARTS if values[part.replace("-", "_")]}
        options.add_flags(self, self._set_option)
        self.override = None
        self.keeper = None

    def handleArgs(self, event):
        hooks.put_in_order(self.session)  # nose_speedup.hooks: the order of a run

    def _set_option(self, option, _):
        self.parts.add(option.key)

    def startTestRun(self, event):
        if not self.parts:
            return
        from django.conf import settings

        if not settings.configured:
            raise ConfigurationError(
                SOURCE,
                f"{', '.join(sorted(self.parts))} need Django configured; load the django "
                "plugin (--plugin nose_speedup.plugins.django) or run manage.py test",
            )
        from django.test.utils import override_settings

        overrides, descriptions = settings_overrides.run_overrides(self.parts)
        if overrides:
            self.override = override_settings(**overrides)
            self.override.enable()
        if settings_overrides.KEEP_CONNECTIONS in self.parts:
            from nose_speedup.speedups.kept_connections import ConnectionKeeper

            self.keeper = ConnectionKeeper()
            self.keeper.install()
            descriptions.append(
                "keep-connections: PostgreSQL connections kept open between TestCase "
                "classes when unchanged, others closed as Django does"
            )
        sys.stderr.write(f"speedups: {'; '.join(descriptions)}\n")

    def stopTestRun(self, event):
        if self.keeper is not None:
            self.keeper.uninstall()
        if self.override is not None:
            self.override.disable()
            self.override = None

    def afterSummaryReport(self, event):
        if self.keeper is not None:
            event.stream.writeln(self.keeper.summary())
