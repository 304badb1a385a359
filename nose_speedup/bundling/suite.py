"""The suite that runs a bundled run: units of work, module fixtures, and
the end of each bundle.

A *unit* is the tests of one bundle (its classes one after the other) or of
one class outside any bundle. ``BundledSuite`` runs the units in order, and:

* ends every bundle itself, right after its last class and before the next
  unit starts, whatever way its classes ended (passed, skipped, failed in
  ``setUpClass`` before or after ``super()``, never run because their
  module's ``setUpModule`` failed, the run stopped by failfast);
* runs module fixtures as often as unittest would on the order it was given
  (Django's order): once for each stretch of consecutive classes of a module
  there, so once per module unless Django's grouping or shuffling split it.
  Bundling moves classes across modules; a module's ``setUpModule`` still
  runs once, before the unit holding its first class, and its
  ``tearDownModule`` once, after the unit holding its last, both outside
  every bundle's transaction. A module whose ``setUpModule`` fails or raises
  ``SkipTest`` has its classes not run and is reported as unittest reports it.
"""

import unittest

from nose_speedup.compat import unittest_compat


def module_stretches(tests):
    """``{id(test): n}``: the number of the stretch of consecutive tests of
    one module each test belongs to, in the given order."""
    stretches = {}
    number, previous = -1, None
    for test in tests:
        module = type(test).__module__
        if module != previous:
            number, previous = number + 1, module
        stretches[id(test)] = number
    return stretches


def bundle_of(unit):
    return getattr(type(unit[0]), "fixture_bundle", None)


class BundledSuite(unittest.TestSuite):
    """Iterates as a flat suite of the tests in run order; runs unit by unit."""

    def __init__(self, units, stretches):
        super().__init__([test for unit in units for test in unit])
        self.units = units
        self.stretches = stretches

    def run(self, result, debug=False):
        top_level = not getattr(result, "_testRunEntered", False)
        result._testRunEntered = True
        first_unit, last_unit = {}, {}
        for index, unit in enumerate(self.units):
            for test in unit:
                first_unit.setdefault(self.stretches[id(test)], index)
                last_unit[self.stretches[id(test)]] = index
        failed = {}  # stretch -> whether its setUpModule failed
        set_up = {}  # stretch -> a class of it, while its module is set up
        for index, unit in enumerate(self.units):
            if result.shouldStop:
                break
            for test in unit:
                stretch = self.stretches[id(test)]
                if first_unit[stretch] == index and stretch not in failed:
                    failed[stretch] = unittest_compat.set_up_module(self, test, result)
                    if not failed[stretch]:
                        set_up[stretch] = type(test)
            self.run_unit(unit, failed, result)
            for stretch in [s for s in set_up if last_unit[s] == index]:
                unittest_compat.tear_down_module(self, set_up.pop(stretch), result)
        for test_class in set_up.values():  # a stopped run still tears down
            unittest_compat.tear_down_module(self, test_class, result)
        if top_level:
            result._testRunEntered = False
        return result

    def run_unit(self, unit, failed, result):
        bundle = bundle_of(unit)
        current, module_failed, may_run = None, False, False
        try:
            for test in unit:
                if result.shouldStop:
                    break
                if type(test) is not current:
                    if current is not None:
                        unittest_compat.tear_down_previous_class(self, result, module_failed)
                    current = type(test)
                    module_failed = failed[self.stretches[id(test)]]
                    if bundle is not None and not module_failed:
                        bundle.start_class(current)
                    may_run = unittest_compat.set_up_class(self, test, result, module_failed)
                if may_run:
                    test(result)
            if current is not None:
                unittest_compat.tear_down_previous_class(self, result, module_failed)
        finally:
            if bundle is not None:
                bundle.close()
