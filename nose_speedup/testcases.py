"""``FastFixtureTestCase``: Django's ``TestCase``, able to share its fixtures.

Django's ``TestCase`` loads ``fixtures`` in every class's ``setUpClass``: a
suite of 60 classes sharing 6 fixture sets loads them 60 times. With the
fixture-bundling plugin (``nose_speedup.plugins.bundling``) the classes that
share ``fixtures``, ``databases``, ``available_apps`` and class-level
settings overrides run one after the other as a *bundle*: the first loads the
fixtures in a transaction that spans the bundle, each class's
``setUpTestData`` runs in a savepoint and each test in Django's own per-test
atomic block, and the last rolls the transaction back (or the run does, if
the last class never got that far). Nothing is ever committed.

Without the plugin (or in a bundle of one) the class runs Django's own
``setUpClass``/``tearDownClass``: it behaves exactly like ``TestCase``.
"""

from django.core.exceptions import ImproperlyConfigured
from django.test import TestCase

from nose_speedup.compat import django_testcase


class FastFixtureTestCase(TestCase):
    """A ``django.test.TestCase`` whose fixtures the fixture-bundling plugin
    may load once for every class of the run that shares them."""

    # Set to True to keep this class out of fixture bundling: it then loads
    # its fixtures itself, as django.test.TestCase does. For a class whose
    # loaded data depends on something bundling cannot see, e.g. a setting
    # its setUpClass changes by hand rather than with @override_settings.
    exempt_from_fixture_bundling = False

    # The nose_speedup.bundling.bundle.FixtureBundle this class shares its fixtures
    # with during a run, set by the fixture-bundling plugin; None otherwise,
    # and then the class runs Django's TestCase.setUpClass/tearDownClass.
    fixture_bundle = None

    # Whether this class's setUpClass sets up its bundle: opens a
    # transaction on each of its databases and loads ``fixtures`` into it,
    # before its setUpTestData. The plugin sets it just before the class
    # starts: True for the first class of the bundle that runs, and for the
    # next one when a test closed the connection and the transaction is gone;
    # False for the others, whose setUpClass instead resets the sequences
    # loaddata resets, so new rows get the primary keys Django gives them.
    # True by default: a class alone loads its own fixtures.
    sets_up_fixture_bundle = True

    # Whether this class's tearDownClass tears down its bundle: after rolling
    # back its own setUpTestData, rolls back the bundle's transaction and
    # closes the connections, as TestCase.tearDownClass does after every
    # class. The plugin sets it for the run on the last class of the bundle
    # that is not skipped. Should that class not get to its tearDownClass (its
    # setUpClass failed or raised SkipTest, its module's setUpModule did),
    # the run rolls the bundle back at the same point, before the next class
    # outside the bundle starts. True by default: a class alone rolls back
    # its own fixtures.
    tears_down_fixture_bundle = True

    @classmethod
    def setUpClass(cls):
        check_fixtures(cls)
        if cls.fixture_bundle is None:
            super().setUpClass()
            return
        set_up_bundled_class(cls)

    @classmethod
    def tearDownClass(cls):
        if cls.fixture_bundle is None:
            super().tearDownClass()
            return
        tear_down_bundled_class(cls)


def set_up_bundled_class(cls):
    """``setUpClass`` of a class in a bundle: ``FastFixtureTestCase``'s, and
    that of a plain ``TestCase`` bundled by ``[fixture-bundling] testcases =
    all`` (``nose_speedup.bundling.plain``).

    A copy of Django 5.2's TestCase.setUpClass (4.2 and 6.x take the same
    steps), split in two because the bundle's transaction and fixtures take
    the place of the class's own, which Django opens and loads in one
    method. First SimpleTestCase's part: settings overrides and database
    guards, undone by class cleanups."""
    super(TestCase, cls).setUpClass()
    cls.fixture_bundle.enter(cls)
    django_testcase.enter_class_atomics(cls)
    try:
        django_testcase.set_up_test_data(cls)
    except BaseException:
        django_testcase.rollback_class_atomics(cls)
        raise


def tear_down_bundled_class(cls):
    """Django's TestCase.tearDownClass (4.2-6.x), with the bundle deciding
    whether its transaction ends here."""
    try:
        django_testcase.rollback_class_atomics(cls)
    finally:
        cls.fixture_bundle.leave(cls)
    super(TestCase, cls).tearDownClass()


def check_fixtures(test_class):
    """``fixtures = "catalog"`` is a common slip that Django reads as the
    fixtures 'c', 'a', 't', ...: say what is wrong instead."""
    if isinstance(test_class.fixtures, str):
        raise ImproperlyConfigured(
            f"{test_class.__module__}.{test_class.__qualname__}.fixtures is the string "
            f"{test_class.fixtures!r}, but fixtures must be a list of fixture names: "
            f"write fixtures = [{test_class.fixtures!r}]"
        )
