import os
from pathlib import Path


def leave_marker(name):
    """Say that a test ran, in NSP_MARKERS, for the test to see."""
    directory = os.environ.get("NSP_MARKERS")
    if directory:
        Path(directory, name).write_text(str(os.getpid()))


def module_fixture(step, module):
    """``setUpModule``/``tearDownModule`` of a test module: append
    ``step module pid`` to NSP_MODULE_LOG; NSP_SETUP_MODULE_FAILS,
    NSP_SETUP_MODULE_SKIPS or NSP_TEARDOWN_MODULE_FAILS naming the module
    make the step fail or skip."""
    log = os.environ.get("NSP_MODULE_LOG")
    if log:
        with open(log, "a") as stream:
            stream.write(f"{step} {module} {os.getpid()}\n")
    if step == "setUp" and os.environ.get("NSP_SETUP_MODULE_FAILS") == module:
        raise RuntimeError(f"setUpModule of {module} fails on purpose")
    if step == "setUp" and os.environ.get("NSP_SETUP_MODULE_SKIPS") == module:
        import unittest

        raise unittest.SkipTest(f"setUpModule of {module} skips on purpose")
    if step == "tearDown" and os.environ.get("NSP_TEARDOWN_MODULE_FAILS") == module:
        raise RuntimeError(f"tearDownModule of {module} fails on purpose")
