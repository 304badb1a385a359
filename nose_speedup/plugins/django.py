"""Run Django test suites under nose2, the way Django's own runner does.

Load it and it is active::

    nose2 --plugin nose_speedup.plugins.django --django-settings mysite.settings

It gives a nose2 run what ``manage.py test`` gives a Django one, and nothing
more, so that the same tests pass and fail:

* ``createTests``: picks the settings module (``--django-settings``, then the
  config's ``settings``, then ``DJANGO_SETTINGS_MODULE``), calls
  ``django.setup()`` before any test module is imported, and checks that
  every test label on the command line names something;
* ``createdTestSuite``: sets up the test environment and creates test
  databases only for the aliases the selected tests use (``databases``),
  serializing only those a selected test needs for ``serialized_rollback``;
  then runs Django's system checks. Another plugin may take over database
  set-up through the ``setUpTestDatabases`` hook (``nose_speedup.events``);
* ``startTestRun``: orders the suite as Django does (``TestCase`` classes
  first, ``TransactionTestCase`` and others after, plain unittest last),
  each class contiguous so ``setUpClass`` runs once; ``shuffle`` and
  ``reverse`` work as Django's ``--shuffle`` and ``--reverse``;
* ``stopTestRun``: destroys the test databases (or lets the
  ``tearDownTestDatabases`` hook do it) and tears the environment down.

A settings module that does not import, a label that names nothing, a
database server that cannot be reached or a test database name that is a
real database's name stops the run with one line that says what to fix.

Configuration (every key with its default)::

    [django]
    # dotted settings module; DJANGO_SETTINGS_MODULE when empty
    settings =
    # ask before destroying a test database left by an earlier run
    interactive = False
    # Django's --shuffle: a seed, or "random"; empty for no shuffling
    shuffle =
    # Django's --reverse
    reverse = False

Command line: ``--django-settings MODULE``, ``--django-shuffle SEED``
(``random`` for a new seed), ``--django-reverse`` and ``--django-interactive``.

Under nose2's ``mp`` plugin each worker process would set up its own
databases; that is not supported yet.
"""

import sys

from nose2.events import Plugin

from nose_speedup import class_errors, django_setup, events, labels, loading, ordering, test_databases


class DjangoPlugin(Plugin):
    configSection = "django"
    alwaysOn = True

    def __init__(self):
        self.settings_from_config = self.config.as_str("settings", "").strip()
        self.interactive = self.config.as_bool("interactive", False)
        self.shuffle_seed = self.config.as_str("shuffle", "").strip()
        self.reverse = self.config.as_bool("reverse", False)
        self.settings_from_command_line = None
        self.runner = None
        self.old_config = None
        self.shuffler = None
        self.last_started_test = None
        self.addArgument(
            self._set_settings, None, "django-settings", "Django settings module (dotted path)"
        )
        self.addArgument(
            self._set_shuffle, None, "django-shuffle",
            "Shuffle test order like Django's --shuffle: a seed, or 'random'",
        )
        self.addFlag(self._set_reverse, None, "django-reverse", "Reverse the test order in each group")
        self.addFlag(
            self._set_interactive, None, "django-interactive",
            "Ask before destroying a test database left by an earlier run",
        )
        self.addMethods(*events.HOOK_NAMES)

    def _set_settings(self, values):
        self.settings_from_command_line = values[0]

    def _set_shuffle(self, values):
        self.shuffle_seed = values[0]

    def _set_reverse(self, _):
        self.reverse = True

    def _set_interactive(self, _):
        self.interactive = True

    def pluginsLoaded(self, event):
        # Load Django test classes before nose2's generators and params
        # loaders, which read every class attribute: that would evaluate
        # skipUnlessDBFeature conditions against the real database, and call
        # live_server_url before setUpClass has started the server.
        hook = self.session.hooks.loadTestsFromTestCase
        if self in hook.plugins:
            hook.plugins.remove(self)
            hook.plugins.insert(0, self)

    def loadTestsFromTestCase(self, event):
        from django.test import SimpleTestCase

        if not issubclass(event.testCase, SimpleTestCase):
            return None
        event.handled = True
        return event.loader.suiteClass(map(event.testCase, loading.test_method_names(event)))

    def createTests(self, event):
        django_setup.configure_django(
            django_setup.resolve_settings_module(
                self.settings_from_command_line, self.settings_from_config
            )
        )
        labels.check_labels(event.testNames or [], self.session.topLevelDir or ".")

    def createdTestSuite(self, event):
        from django.test.runner import DiscoverRunner, Shuffler
        from django.test.utils import setup_test_environment

        if self.shuffle_seed:
            seed = None if self.shuffle_seed == "random" else self._parse_seed(self.shuffle_seed)
            self.shuffler = Shuffler(seed)
        self.runner = DiscoverRunner(
            verbosity=self.session.verbosity,
            interactive=self.interactive,
            reverse=self.reverse,
            enable_faulthandler=False,
        )
        setup_test_environment(debug=False)
        aliases = self.runner.get_databases(event.suite)
        serialized = {alias for alias, serialize in aliases.items() if serialize}
        test_databases.refuse_real_database_names(aliases)
        test_databases.check_servers_reachable(aliases)
        hook_event = events.TestDatabasesEvent(self.runner, aliases, serialized)
        getattr(self.session.hooks, events.SET_UP_TEST_DATABASES)(hook_event)
        if hook_event.handled:
            self.old_config = hook_event.old_config
        else:
            self.old_config = test_databases.set_up_databases(self.runner, aliases, serialized)
        self._run_checks(aliases)

    def _parse_seed(self, text):
        try:
            return int(text)
        except ValueError:
            self._tear_down()
            raise SystemExit(
                f"django plugin: shuffle seed {text!r} is not a whole number; "
                "give an integer, or 'random' for a new seed"
            )

    def _run_checks(self, aliases):
        from django.core.management.base import SystemCheckError

        try:
            self.runner.run_checks(aliases)
        except SystemCheckError as error:
            self._tear_down()
            raise SystemExit(f"django plugin: Django's system checks failed:\n{error}")

    def startTestRun(self, event):
        if self.runner is None:
            return
        event.suite = ordering.django_order(event.suite, self.shuffler, self.reverse)
        if self.shuffler is not None:
            sys.stderr.write(f"Using shuffle seed: {self.shuffler.seed_display}\n")

    def setTestOutcome(self, event):
        event.test = class_errors.named_error_holder(event.test)

    def startTest(self, event):
        self.last_started_test = event.test

    def reportError(self, event):
        self._describe_unstarted_test(event)

    def reportSkip(self, event):
        self._describe_unstarted_test(event)

    def _describe_unstarted_test(self, event):
        # Class fixture errors, and skipped tests on Python 3.12.1+, reach the
        # report without startTest, so nose2 -v prints a bare "ERROR" or
        # "skipped" line. Name the test first, as Django's runner does.
        test, result = event.testEvent.test, event.testEvent.result
        if self.session.verbosity < 2 or test is self.last_started_test:
            return
        if getattr(result, "test_started", True):  # else nose2 names it itself
            doc = test.shortDescription()
            event.stream.write(f"{test}\n{doc} ... " if doc else f"{test} ... ")

    def stopTestRun(self, event):
        self._tear_down()

    def _tear_down(self):
        if self.runner is None:
            return
        from django.test.utils import teardown_test_environment

        runner, self.runner = self.runner, None
        hook_event = events.TestDatabasesEvent(runner, {}, set(), self.old_config)
        getattr(self.session.hooks, events.TEAR_DOWN_TEST_DATABASES)(hook_event)
        if not hook_event.handled and self.old_config is not None:
            test_databases.tear_down_databases(runner, self.old_config)
        teardown_test_environment()
