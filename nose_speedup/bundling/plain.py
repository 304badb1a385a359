"""Bundle plain ``django.test.TestCase`` classes, without a code change.

With ``[fixture-bundling] testcases = all`` (``--bundle-testcases``,
``manage.py test --bundle-testcases``) a ``TestCase`` class with
``fixtures`` bundles as if it derived from ``FastFixtureTestCase``, by the
one rule (``nose_speedup.bundling.rule``): it may join a bundle of
``FastFixtureTestCase`` classes with its key, or make one with other plain
classes. A project adopts bundling by changing its runner only.

How: while a bundled run lasts, ``TestCase.setUpClass``/``tearDownClass``
(the methods a plain class's own ``setUpClass`` reaches through ``super()``)
take ``FastFixtureTestCase``'s bundled path for a class the run put in a
bundle (its public ``fixture_bundle`` attribute, set in its own
``__dict__``), and Django's own for every other class, so each class gets
exactly the steps a ``FastFixtureTestCase`` gets, its own ``setUpClass``
code around them. ``give_back`` puts Django's methods back when the last
run ends.
"""

_taken = []  # one entry per run that took the methods over; Django's methods in the first


def take_over():
    """Route ``TestCase``'s class set-up through the bundle (``BundledRun``
    calls it; ``give_back`` undoes it)."""
    from django.test import TestCase

    from nose_speedup import testcases

    if not _taken:
        original_set_up = TestCase.__dict__["setUpClass"]
        original_tear_down = TestCase.__dict__["tearDownClass"]

        def setUpClass(cls):
            if getattr(cls, "fixture_bundle", None) is None:
                return original_set_up.__func__(cls)
            testcases.check_fixtures(cls)
            return testcases.set_up_bundled_class(cls)

        def tearDownClass(cls):
            if getattr(cls, "fixture_bundle", None) is None:
                return original_tear_down.__func__(cls)
            return testcases.tear_down_bundled_class(cls)

        TestCase.setUpClass = classmethod(setUpClass)
        TestCase.tearDownClass = classmethod(tearDownClass)
        _taken.append((original_set_up, original_tear_down))
    else:
        _taken.append(None)


def give_back():
    """Undo one ``take_over``; the last puts Django's methods back."""
    from django.test import TestCase

    if not _taken:
        return
    entry = _taken.pop()
    if not _taken and entry is not None:
        TestCase.setUpClass, TestCase.tearDownClass = entry
