"""The one rule that decides which test classes bundle, and with which others.

Bundling (``nose_speedup.bundling.plan``), the advisor
(``nose_speedup.timing.advisor``), the shards plugin and the parallel
plugin's units (``nose_speedup.parallel.units``) all ask ``decide``, so a
class the advisor names is a class bundling would bundle, and a shard or a
worker never separates classes that would share a load.

A class bundles when it is a ``django.test.TestCase`` that bundling takes
(a ``FastFixtureTestCase``; with ``testcases = all``, any ``TestCase``),
names ``fixtures`` as a list, is not ``exempt_from_fixture_bundling``, and
runs on databases with transactions and savepoints. Its key
(``bundle_key``) is what ``loaddata`` produces depends on: the fixtures,
the databases, the installed apps and the class-level settings overrides.
Whether a bundle forms at all (two classes that are not skipped) is the
run's business, not the rule's.
"""

from dataclasses import dataclass

# [fixture-bundling] testcases: which classes bundling takes.
FAST = "fast"  # FastFixtureTestCase classes only (the default)
ALL = "all"  # every django.test.TestCase with fixtures, FastFixtureTestCase or not
MODES = (FAST, ALL)


@dataclass(frozen=True)
class Decision:
    """``key`` when the class bundles; else ``reason`` when something the
    run reports kept it out (a database without transactions), else
    neither (not a candidate: no fixtures, exempt, another kind of test)."""

    key: tuple = None
    reason: str = None


NOT_A_CANDIDATE = Decision()


def frozen(value):
    """``value`` as a hashable value equal for equal settings: containers
    frozen recursively, other unhashable objects equal only to themselves."""
    if isinstance(value, dict):
        items = ((frozen(key), frozen(item)) for key, item in value.items())
        return ("dict", tuple(sorted(items, key=repr)))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(frozen(item) for item in value))
    if isinstance(value, (set, frozenset)):
        return ("set", frozenset(frozen(item) for item in value))
    try:
        hash(value)
    except TypeError:
        return ("object", id(value))
    return (type(value), value)


def bundle_key(test_class):
    """Classes with equal keys can share a fixture load: what ``loaddata``
    produces depends on the fixture files, the databases, the installed apps
    and the settings (``TIME_ZONE``, ``FIXTURE_DIRS``, ...), so every
    class-level ``@override_settings``/``@modify_settings`` is part of it."""
    from nose_speedup.compat import django_testcase

    available_apps = test_class.available_apps
    return (
        tuple(test_class.fixtures),
        tuple(sorted(django_testcase.database_aliases(test_class))),
        None if available_apps is None else tuple(available_apps),
        frozen(django_testcase.class_settings(test_class)),
    )


def is_taken(test_class, mode=FAST):
    """Whether bundling takes this kind of class under ``mode``."""
    from django.test import TestCase

    from nose_speedup.testcases import FastFixtureTestCase

    if not isinstance(test_class, type) or not issubclass(test_class, TestCase):
        return False
    return mode == ALL or issubclass(test_class, FastFixtureTestCase)


def decide(test_class, mode=FAST):
    """The ``Decision`` for ``test_class`` under ``mode`` (``FAST``/``ALL``)."""
    from nose_speedup.compat import django_testcase

    if not is_taken(test_class, mode):
        return NOT_A_CANDIDATE
    fixtures = test_class.fixtures
    exempt = getattr(test_class, "exempt_from_fixture_bundling", False)
    if exempt or not fixtures or isinstance(fixtures, str):
        return NOT_A_CANDIDATE  # a string gets its error from setUpClass
    try:
        reasons = django_testcase.missing_transaction_support(test_class)
        if reasons:
            return Decision(reason="; ".join(reasons))
        return Decision(key=bundle_key(test_class))
    except Exception:
        # e.g. ``databases`` names an alias settings lack: left alone, the
        # class gets Django's own error from its setUpClass.
        return NOT_A_CANDIDATE
