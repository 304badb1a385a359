"""Put a nose2 test suite in the order Django's runner uses.

Django's ``DiscoverRunner`` runs load failures first, then ``TestCase``
classes, then the other ``SimpleTestCase`` classes (``TransactionTestCase``
among them), then plain ``unittest`` tests; each class stays contiguous,
because unittest runs ``setUpClass`` again whenever the class changes. The
order matters for correctness, not only speed: a ``TransactionTestCase``
flushes the database, so it must not run between ``TestCase`` classes that
expect the migrated data. Django's own ``reorder_tests`` does the work; this
module feeds it a flat list of nose2's tests in Django's discovery order.

That discovery order needs restoring first: unittest (so Django) walks
directories in sorted order, nose2 in ``os.listdir`` order, which differs
between file systems and machines. Tests are stably sorted by the label that
selected them, then by module; within a module both already list classes and
methods by name.
"""

import unittest

from nose_speedup.compat import nose2_compat, unittest_compat


def is_load_failure(test):
    """Whether ``test`` stands for a module that failed to load, as nose2 or
    unittest reports it."""
    return nose2_compat.is_failed_load(test) or unittest_compat.is_failed_import(test)


def discovery_order_key(labels):
    """Sort key of ``(test, loading module or None)`` giving Django's
    discovery order: the index of the first label (dotted name or path) the
    test falls under, then its module."""
    prefixes = [label.replace("/", ".").removesuffix(".py").strip(".") for label in labels]

    def key(test_and_module):
        test, module = test_and_module
        name = module or test.id()
        index = next(
            (i for i, prefix in enumerate(prefixes)
             if prefix and (name == prefix or name.startswith(prefix + "."))),
            len(prefixes),
        )
        return index, module or type(test).__module__

    return key


def tests_and_modules(suite, module=None):
    """Each test of ``suite`` with the test module that loaded it, when the
    django plugin's loader says (``collection.ModuleTests``): a test a
    module's ``load_tests`` added from elsewhere runs with that module, as
    under Django."""
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from tests_and_modules(item, getattr(item, "module_name", module))
        else:
            yield item, module


def django_order(suite, shuffler=None, reverse=False, labels=()):
    """A flat ``unittest.TestSuite`` in Django's order. ``shuffler`` is a
    ``django.test.runner.Shuffler`` for ``--shuffle``; ``reverse`` reverses
    each group like Django's ``--reverse``; ``labels`` are the test names
    the run was given."""
    from django.test import SimpleTestCase, TestCase
    from django.test.runner import reorder_tests

    in_order = sorted(tests_and_modules(suite), key=discovery_order_key(labels))
    tests = [test for test, _ in in_order]
    failures = [test for test in tests if is_load_failure(test)]
    others = [test for test in tests if not is_load_failure(test)]
    ordered = reorder_tests(others, (TestCase, SimpleTestCase), reverse=reverse, shuffler=shuffler)
    return unittest.TestSuite([*failures, *ordered])
