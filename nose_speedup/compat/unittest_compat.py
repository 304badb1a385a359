"""Every private name of unittest that nose-speedup uses, in one place.
Each is the same on Python 3.10 to 3.13.

Suites: ``unittest.TestSuite.run`` tears a module down and sets it up again whenever
the next test comes from another module, and knows nothing of a group of
classes that must be closed together: both wrong for fixture bundles, which
move classes across modules. ``nose_speedup.bundling.suite`` therefore runs
the loop itself, and calls unittest's own steps for one class or one module
(``_tearDownPreviousClass``, ``_handleClassSetUp``, ``_handleModuleFixture``,
``_handleModuleTearDown``), so that skips, errors, class and module cleanups
and ``--buffer`` are reported exactly as unittest reports them. Those steps
read and write result attributes (``_previousTestClass``,
``_moduleSetUpFailed``, ``_testRunEntered``) and the class's
``_classSetupFailed``.

Outcomes: the stand-ins unittest reports a failed class or module fixture
on (``unittest.suite._ErrorHolder``) and a module that failed to import on
(``unittest.loader._FailedTest``); subtests (``unittest.case._SubTest``),
rebuilt in the main process of a parallel run; a class skipped as a whole
(``__unittest_skip__``); the frames unittest leaves out of a traceback
(a module global ``__unittest``).
"""

import unittest


def enter_run(result):
    """Mark ``result`` as inside a suite's ``run``, as
    ``TestSuite.run`` does (``_testRunEntered``); return whether this is the
    top-level suite, which must clear the mark with ``leave_run``."""
    top_level = not getattr(result, "_testRunEntered", False)
    result._testRunEntered = True
    return top_level


def leave_run(result):
    result._testRunEntered = False


def tear_down_previous_class(suite, result, module_failed):
    """``tearDownClass`` and class cleanups of the class that ran last,
    unless it was skipped or its ``setUpClass`` or module set-up failed."""
    result._moduleSetUpFailed = module_failed
    suite._tearDownPreviousClass(None, result)
    result._previousTestClass = None


def set_up_class(suite, test, result, module_failed):
    """``setUpClass`` of ``test``'s class (unless skipped or its module set-up
    failed), an error or skip reported on the class as unittest does; return
    whether the class's tests may run."""
    result._moduleSetUpFailed = module_failed
    suite._handleClassSetUp(test, result)
    result._previousTestClass = type(test)
    return not module_failed and not getattr(type(test), "_classSetupFailed", False)


def set_up_module(suite, test, result):
    """``setUpModule`` of ``test``'s module, an error or ``SkipTest`` reported
    as ``setUpModule (module)`` as unittest does; return whether it failed."""
    saved = getattr(result, "_previousTestClass", None)
    result._previousTestClass = None  # so unittest tears nothing down first
    try:
        suite._handleModuleFixture(test, result)
    finally:
        result._previousTestClass = saved
    return bool(getattr(result, "_moduleSetUpFailed", False))


def tear_down_module(suite, test_class, result):
    """``tearDownModule`` of ``test_class``'s module, then the module cleanups."""
    saved = getattr(result, "_previousTestClass", None)
    result._previousTestClass = test_class
    result._moduleSetUpFailed = False
    try:
        suite._handleModuleTearDown(result)
    finally:
        result._previousTestClass = saved


def is_error_holder(test):
    """Whether ``test`` is the stand-in for a failed class or module fixture."""
    return isinstance(test, unittest.suite._ErrorHolder)


def error_holder(description):
    """A stand-in for a failed class or module fixture named ``description``."""
    return unittest.suite._ErrorHolder(description)


def is_failed_import(test):
    """Whether ``test`` is unittest's stand-in for a module that failed to load."""
    return isinstance(test, unittest.loader._FailedTest)


def is_class_skipped(test_class):
    """Whether unittest skips ``test_class`` as a whole (``@skip`` on the
    class, Django's ``skipUnlessDBFeature``, which is evaluated here)."""
    return bool(getattr(test_class, "__unittest_skip__", False))


def is_unittest_frame(frame):
    """Whether unittest leaves ``frame`` out of the tracebacks it reports."""
    return "__unittest" in frame.f_globals


def subtest_description(subtest):
    """What identifies a subtest: its message and its parameters, as text."""
    return subtest._subDescription()


class _Params(dict):
    pass


def make_subtest(test, description):
    """A subtest of ``test`` whose description is ``description``."""
    subtest = unittest.case._SubTest(test, unittest.case._subtest_msg_sentinel, _Params())
    subtest._subDescription = lambda: description
    return subtest
