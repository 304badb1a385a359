"""``FastFixtureTestCase``: Django's ``TestCase``, able to share its fixtures.

Django's ``TestCase`` loads ``fixtures`` in every class's ``setUpClass``: a
suite of 60 classes sharing 6 fixture sets loads them 60 times. With the
fixture-bundling plugin (``nose_speedup.plugins.bundling``) the classes that
share ``fixtures``, ``databases`` and ``available_apps`` run one after the
other as a *bundle*: the first loads the fixtures in a transaction that spans
the bundle, each class's ``setUpTestData`` runs in a savepoint and each test
in Django's own per-test atomic block, and the last rolls the transaction
back. Nothing is ever committed.

Without the plugin (or in a bundle of one) the class runs Django's own
``setUpClass``/``tearDownClass``: it behaves exactly like ``TestCase``.
"""

from django.test import TestCase

from nose_speedup import compat


class FastFixtureTestCase(TestCase):
    """A ``django.test.TestCase`` whose fixtures the fixture-bundling plugin
    may load once for every class of the run that shares them."""

    # Set to True to keep this class out of fixture bundling: it then loads
    # its fixtures itself, as django.test.TestCase does. For a class whose
    # tests depend on something a bundle shares and it must not, e.g. a
    # sequence value or a fixture row another class's setUpClass changes.
    exempt_from_fixture_bundling = False

    # The nose_speedup.bundles.FixtureBundle this class shares its fixtures
    # with during a run, set by the fixture-bundling plugin; None otherwise.
    fixture_bundle = None

    # Whether this class sets up its bundle: opens a transaction on each of
    # its databases and loads ``fixtures`` into it before its setUpTestData
    # (should its setUpClass fail before that, the next class does it). Set by
    # the fixture-bundling plugin for the run. Left at True together with
    # tears_down_fixture_bundle, the class is a bundle of one and runs
    # Django's TestCase.setUpClass unchanged.
    sets_up_fixture_bundle = True

    # Whether this class tears down its bundle: after rolling back its own
    # setUpTestData, rolls back the bundle's transaction and closes the
    # connections, as TestCase.tearDownClass does after every class. Set by
    # the fixture-bundling plugin for the run; True alone by default.
    tears_down_fixture_bundle = True

    @classmethod
    def is_alone_in_its_bundle(cls):
        """True when the class loads its own fixtures, as Django does."""
        return cls.sets_up_fixture_bundle and cls.tears_down_fixture_bundle

    @classmethod
    def setUpClass(cls):
        if cls.is_alone_in_its_bundle():
            super().setUpClass()
            return
        bundle = cls.fixture_bundle
        if bundle is None:
            raise TypeError(
                f"fixture-bundling: {cls.__module__}.{cls.__qualname__} says it shares a "
                "fixture bundle but has no fixture_bundle; sets_up_fixture_bundle and "
                "tears_down_fixture_bundle are set by the fixture-bundling plugin, "
                "never by hand"
            )
        try:
            # Django's TestCase.setUpClass minus its atomics and loaddata:
            # settings overrides and the database access guards.
            super(TestCase, cls).setUpClass()
            bundle.enter(cls)
            cls.cls_atomics = compat.enter_atomics(cls)
            try:
                compat.set_up_test_data(cls)
            except BaseException:
                compat.rollback_atomics(cls, cls.cls_atomics)
                raise
        except BaseException:
            # unittest skips tearDownClass after a failed setUpClass: a last
            # class closes its bundle here, the others leave it to the next.
            if cls.tears_down_fixture_bundle:
                bundle.close()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.is_alone_in_its_bundle():
            super().tearDownClass()
            return
        try:
            compat.rollback_atomics(cls, cls.cls_atomics)
        finally:
            if cls.tears_down_fixture_bundle:
                cls.fixture_bundle.close()
        super(TestCase, cls).tearDownClass()
