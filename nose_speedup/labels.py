"""Check the test labels given on the command line before nose2 loads them.

nose2 turns a label it cannot import into a test that errors with a long
traceback; Django's runner stops with a message instead. A label that names
nothing is a typo, so stop with one line that says which label and what a
label may be. A module that exists but fails to import is a real test error
and is left to nose2 to report.
"""

import importlib
import importlib.util
import os

from nose_speedup.errors import ConfigurationError

SOURCE = "django plugin"
LABEL_FORMS = (
    "a label is a dotted path (app, app.tests.test_module, "
    "app.tests.test_module.TestClass or ...TestClass.test_method) or a directory or file"
)


def _module_exists(dotted_name):
    try:
        return importlib.util.find_spec(dotted_name) is not None
    except (ImportError, ValueError):
        # A parent package is missing, or failed to import: the former is
        # "names nothing", the latter nose2 reports as an import error.
        return False


def _unknown(label, reason):
    return ConfigurationError(
        SOURCE, f"test label {label!r} {reason}. Check the spelling; {LABEL_FORMS}"
    )


def check_label(label, base_dir="."):
    """Raise ``ConfigurationError`` when ``label`` names no module, class or
    test method and no file or directory under ``base_dir``."""
    name = label.split(":", 1)[0]
    if os.path.exists(name) or os.path.exists(os.path.join(base_dir, name)):
        return
    parts = name.split(".")
    if not all(part.isidentifier() for part in parts):
        raise _unknown(label, "is neither an existing path nor a dotted Python name")
    for split in range(len(parts), 0, -1):
        module_name = ".".join(parts[:split])
        if _module_exists(module_name):
            break
    else:
        raise _unknown(label, f"names no module: no module named {parts[0]!r} is importable")
    attributes = parts[split:]
    if not attributes:
        return
    try:
        target = importlib.import_module(module_name)
    except Exception:
        return  # nose2 reports the module's own import error as a test error
    for depth, attribute in enumerate(attributes):
        if not hasattr(target, attribute):
            owner = ".".join([module_name, *attributes[:depth]])
            raise _unknown(label, f"names nothing: {owner!r} has no attribute {attribute!r}")
        target = getattr(target, attribute)


def check_labels(labels, base_dir="."):
    for label in labels:
        check_label(label, base_dir)
