"""The Django side of one nose2 run: the test environment, the test
databases, Django's system checks and Django's test order.

It drives Django's own ``DiscoverRunner`` for everything Django already
knows how to do (which aliases the selected tests use, which need
serializing, creating and destroying databases, running checks), so that a
nose2 run and a ``manage.py test`` run prove the same things. Another plugin
may take over creating and destroying the databases through the hooks in
``nose_speedup.core.database_hooks``; the reuse-db plugin does.
"""

import sys

from nose_speedup.core import database_guards, database_hooks, ordering, progress
from nose_speedup.errors import ConfigurationError
from nose_speedup.timing import recorder, timeline


def make_shuffler(seed_text):
    """Django's ``Shuffler`` for ``--django-shuffle``: ``None`` for no
    shuffling, a new seed for ``random``, else the given whole number."""
    if not seed_text:
        return None
    from django.test.runner import Shuffler

    if seed_text == "random":
        return Shuffler(None)
    try:
        return Shuffler(int(seed_text))
    except ValueError:
        raise ConfigurationError(
            None,
            f"shuffle seed {seed_text!r} is not a whole number; give an integer, "
            "or 'random' for a new seed",
        ) from None


class DjangoTestRun:
    def __init__(self, hooks, verbosity, interactive, reverse, shuffle_seed, *, timing,
                 debug_mode, progress_after):
        from django.test.runner import DiscoverRunner

        self.hooks = hooks
        self.reverse = reverse
        self.shuffler = make_shuffler(shuffle_seed)
        self.runner = DiscoverRunner(
            verbosity=verbosity,
            interactive=interactive,
            reverse=reverse,
            enable_faulthandler=False,
            timing=timing,
            debug_mode=debug_mode,
        )
        # Django's database timers feed the durations file, --timing or not.
        self.runner.time_keeper = recorder.RecordingTimeKeeper(self.runner.time_keeper)
        self.progress_after = progress_after
        self.old_config = None
        self.test_classes = []
        self.torn_down = False

    def set_up(self, suite):
        """Environment, databases for the aliases ``suite`` uses, checks."""
        from django.test.utils import setup_test_environment

        # Not DiscoverRunner.setup_test_environment: its unittest.installHandler
        # would swallow the first Ctrl-C of a nose2 run.
        setup_test_environment(debug=self.runner.debug_mode)
        self.runner.log(f"Found {suite.countTestCases()} test(s).")
        aliases = self.runner.get_databases(suite)
        serialized = {alias for alias, serialize in aliases.items() if serialize}
        verbosity = self.runner.verbosity
        prepare = database_hooks.TestDatabasesEvent(verbosity, aliases, serialized)
        getattr(self.hooks, database_hooks.PREPARE_TEST_DATABASES)(prepare)
        # Once, after any plugin changed the settings: the names checked are
        # the names the databases get, however they are set up.
        database_guards.refuse_real_database_names(aliases)
        database_guards.check_servers_reachable(aliases)
        event = database_hooks.TestDatabasesEvent(verbosity, aliases, serialized)
        timed = self.runner.time_keeper.timed("Total database setup")
        with timed, progress.migration_progress(self.runner.verbosity, self.progress_after):
            getattr(self.hooks, database_hooks.SET_UP_TEST_DATABASES)(event)
            if event.handled:
                self.old_config = event.old_config
            else:
                with recorder.django_migrations():
                    self.old_config = self.runner.setup_databases(
                        aliases=aliases, serialized_aliases=serialized
                    )
        self._run_checks(aliases)

    def _run_checks(self, aliases):
        from django.core.management.base import SystemCheckError

        try:
            with timeline.span(timeline.CHECKS, "system checks"):
                self.runner.run_checks(aliases)
        except SystemCheckError as error:
            self.tear_down()
            raise ConfigurationError(None, f"Django's system checks failed:\n{error}") from None

    def order(self, suite, labels):
        """``suite`` flat, in Django's order (shuffled with the seed, if any)."""
        ordered = ordering.django_order(suite, self.shuffler, self.reverse, labels)
        self.test_classes = list(dict.fromkeys(type(test) for test in ordered))
        if self.shuffler is not None:
            sys.stderr.write(f"Using shuffle seed: {self.shuffler.seed_display}\n")
        return ordered

    def tear_down(self):
        """Destroy (or hand back) the databases and the environment, once."""
        if self.torn_down:
            return
        self.torn_down = True
        import unittest

        from django.test.utils import teardown_test_environment

        # After a KeyboardInterrupt unittest runs neither tearDownClass nor
        # the class cleanups of the interrupted class, so Django's guard
        # against queries on the aliases it did not declare would still be
        # in place for the tear-down below. Run what is pending (nothing,
        # after a run that finished).
        for test_class in self.test_classes:
            if issubclass(test_class, unittest.TestCase):
                test_class.doClassCleanups()

        event = database_hooks.TestDatabasesEvent(
            self.runner.verbosity, {}, set(), self.old_config
        )
        with self.runner.time_keeper.timed("Total database teardown"):
            getattr(self.hooks, database_hooks.TEAR_DOWN_TEST_DATABASES)(event)
            if not event.handled and self.old_config is not None:
                self.runner.teardown_databases(self.old_config)
        teardown_test_environment()
        self.runner.time_keeper.print_results()  # --django-timing, as Django's --timing
