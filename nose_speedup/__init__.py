"""nose-speedup: nose2 plugins and a Django ``TestCase`` that make large,
fixture-heavy Django test suites fast without changing what they prove.

The public names are exported lazily (PEP 562) so that loading a plugin
module never imports Django before its settings exist.
"""

__version__ = "0.1.0"

_LAZY_EXPORTS = {
    "FastFixtureTestCase": "nose_speedup.testcases",
    "Nose2TestRunner": "nose_speedup.runner",
}

__all__ = ["__version__", "FastFixtureTestCase", "Nose2TestRunner"]


def __getattr__(name):
    module_name = _LAZY_EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'nose_speedup' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
