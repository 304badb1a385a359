"""Every use of unittest's private suite machinery, in one place.

``unittest.TestSuite.run`` tears a module down and sets it up again whenever
the next test comes from another module, and knows nothing of a group of
classes that must be closed together: both wrong for fixture bundles, which
move classes across modules. ``nose_speedup.bundling.suite`` therefore runs
the loop itself, and calls unittest's own steps for one class or one module
(``_tearDownPreviousClass``, ``_handleClassSetUp``, ``_handleModuleFixture``,
``_handleModuleTearDown``), so that skips, errors, class and module cleanups
and ``--buffer`` are reported exactly as unittest reports them. Those steps,
and the result attributes they read (``_previousTestClass``,
``_moduleSetUpFailed``), are the same on Python 3.10 to 3.13.
"""


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
