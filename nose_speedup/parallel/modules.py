"""Module fixtures in a worker process: a module stays set up across the
units a worker runs from it.

A worker runs many units (a fixture bundle, or one class), each handed out
on its own. Running each as a unittest suite would run ``setUpModule`` and
``tearDownModule`` once per unit; ``KeptModules`` keeps them once per module
per worker instead, as long as the worker's units keep using the module:

* before a unit, the kept modules the unit does not use are torn down
  (``tearDownModule`` and module cleanups, their errors reported as
  unittest reports them: ``tearDownModule (module)``), then the unit's
  modules that are not kept are set up, outside any bundle's transaction;
* after its last unit (the main process has no more, or failfast stopped
  the run), the worker tears down every module it keeps before it exits.

A module whose ``setUpModule`` failed or raised ``SkipTest`` stays kept as
failed: its classes do not run, and its ``setUpModule (module)`` outcome is
reported once for the whole stretch of units, as unittest does in a serial
run. Class fixtures are not kept: each class's ``tearDownClass`` (and each
bundle's end) runs at the end of its unit. The dispatcher hands an idle
worker the queued units of its modules first (``Dispatcher.next_unit``), so
a worker never comes back to a module it left.
"""

from nose_speedup.bundling.suite import BundledSuite
from nose_speedup.compat import unittest_compat


def module_of(test):
    return type(test).__module__


class KeptModules:
    """The modules a worker keeps set up between its units."""

    def __init__(self):
        self.kept = {}  # module name -> (a class of it, whether its set-up failed)

    def enter(self, suite, tests, result):
        """Before a unit of ``tests``: tear down the kept modules it does not
        use, set up its modules that are not kept; return ``{module name:
        whether its setUpModule failed}`` for the unit's modules."""
        used = dict.fromkeys(module_of(test) for test in tests)
        for name in [name for name in self.kept if name not in used]:
            self.tear_down(suite, name, result)
        for test in tests:
            name = module_of(test)
            if name not in self.kept:
                self.kept[name] = (type(test), unittest_compat.set_up_module(suite, test, result))
        return {name: self.kept[name][1] for name in used}

    def leave_all(self, result):
        """Tear down every kept module (the worker has run its last unit)."""
        suite = BundledSuite([], {})
        for name in list(self.kept):
            self.tear_down(suite, name, result)

    def tear_down(self, suite, name, result):
        test_class, failed = self.kept.pop(name)
        if not failed:
            unittest_compat.tear_down_module(suite, test_class, result)


def run_units(units, result, modules):
    """Run ``units`` (lists of tests, each a bundle or one class) one after
    the other on ``result``, with ``modules`` (a ``KeptModules``) setting
    modules up and down; each class is torn down, each bundle ended, at the
    end of its unit."""
    tests = [test for unit in units for test in unit]
    suite = BundledSuite(units, {id(test): module_of(test) for test in tests})
    top_level = unittest_compat.enter_run(result)
    try:
        for unit in units:
            if result.shouldStop:
                break
            failed = modules.enter(suite, unit, result)
            suite.run_unit(unit, failed, result)
    finally:
        if top_level:
            unittest_compat.leave_run(result)


MODULE_FIXTURES = ("setUpModule", "tearDownModule")


def repeated_module_outcome(seen, name, reference, payload):
    """Whether an outcome from a worker repeats a module fixture's outcome
    already reported (``seen``: a set this adds to). Several workers may set
    one module up, each reporting its failing ``setUpModule (module)`` (or
    ``tearDownModule``); a serial run reports it once, so the main process
    replays the same outcome (same kind, same error text or skip reason) once."""
    if reference is None or reference[0] != "other" or not payload:
        return False
    if reference[1].split(" (", 1)[0] not in MODULE_FIXTURES:
        return False
    detail = payload[0][3] if isinstance(payload[0], tuple) else payload[0]
    key = (name, reference[1], detail)
    if key in seen:
        return True
    seen.add(key)
    return False
