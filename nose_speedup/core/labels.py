"""Check the test labels given on the command line before nose2 loads them.

nose2 turns a label it cannot import into a test that errors with a long
traceback; Django's runner stops with a message instead. A label that names
nothing is a typo, so stop with one line that says which label and what a
label may be. A module that exists but fails to import is a real test error:
it is imported once, as Django's runner does (its import side effects run
once), and its own error is kept for the django plugin to report as a test
error (``collection.DjangoCollection.load_name``).
"""

import importlib
import importlib.util
import os

from nose_speedup.compat import nose2_compat
from nose_speedup.errors import ConfigurationError

NOSE2_TESTID_PLUGIN = "nose2.plugins.testid"
LABEL_FORMS = (
    "a label is a dotted path (app, app.tests.test_module, "
    "app.tests.test_module.TestClass or ...TestClass.test_method) or a directory or file"
)


def import_longest(parts):
    """``(length, module)``: the longest importable module of the dotted
    name ``parts``, ``(0, None)`` when none is. A module that exists but
    fails to import raises its own error, having been imported once (a
    ``find_spec`` per prefix imports a broken parent again each time)."""
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        try:
            return end, importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name and (name == error.name or name.startswith(error.name + ".")):
                continue  # no module of that name: a class or method, maybe
            raise
    return 0, None


def _unknown(label, reason):
    return ConfigurationError(
        None, f"test label {label!r} {reason}. Check the spelling; {LABEL_FORMS}"
    )


def check_label(label, base_dir="."):
    """Raise ``ConfigurationError`` when ``label`` names no module, class or
    test method and no file or directory under ``base_dir``; return the
    error of a module under it that fails to import (``None`` otherwise)."""
    name = label.split(":", 1)[0]
    if os.path.exists(name) or os.path.exists(os.path.join(base_dir, name)):
        return None
    parts = name.split(".")
    if not all(part.isidentifier() for part in parts):
        raise _unknown(label, "is neither an existing path nor a dotted Python name")
    try:
        split, target = import_longest(parts)
    except Exception as error:  # reported as a test error
        return error
    if not split:
        raise _unknown(label, f"names no module: no module named {parts[0]!r} is importable")
    module_name = ".".join(parts[:split])
    attributes = parts[split:]
    for depth, attribute in enumerate(attributes):
        if not hasattr(target, attribute):
            owner = ".".join([module_name, *attributes[:depth]])
            raise _unknown(label, f"names nothing: {owner!r} has no attribute {attribute!r}")
        target = getattr(target, attribute)
    return None


def check_labels(labels, base_dir=".", test_ids=False):
    """``check_label`` on each label; with ``test_ids`` (nose2's testid
    plugin is on) a whole number is a test id and left to that plugin.
    Return ``{label: error}`` for the labels whose module failed to import."""
    failed = {}
    for label in labels:
        if not (test_ids and label.isdigit()):
            error = check_label(label, base_dir)
            if error is not None:
                failed[label] = error
    return failed


def _as_dotted(label, top_level_dir):
    """``label`` as a dotted name when it is a path (``shop/``, ``./shop``,
    ``shop/tests/test_orders.py``) under ``top_level_dir``; ``""`` for the
    top-level directory itself (everything); ``label`` unchanged otherwise."""
    name, colon, rest = label.partition(":")
    if not (os.sep in name or "/" in name or name.endswith(".py") or name in (".", "..")):
        return label
    if not os.path.exists(name):
        return label
    top = os.path.abspath(top_level_dir)
    path = os.path.abspath(name)
    if path == top:
        return ""
    relative = os.path.relpath(path, top)
    if relative.startswith(os.pardir):
        raise _unknown(
            label, f"is a path outside the top-level directory {top!r}; run from the project "
            "directory or pass -t/--top-level-directory"
        )
    if os.path.isfile(path):
        if not path.endswith(".py"):
            raise _unknown(label, "is a file that is not a Python module")
        relative = relative[: -len(".py")]
    dotted = relative.replace(os.sep, ".").replace("/", ".")
    return dotted + colon + rest


def dotted_labels(labels, top_level_dir="."):
    """Labels with every directory or file path turned into the dotted name
    nose2 and Django load it by, as ``manage.py test shop/`` accepts paths.
    A path to the top-level directory selects everything (no label)."""
    converted = [_as_dotted(label, top_level_dir) for label in labels]
    return [label for label in converted if label]


def take_labels(session, test_names, failed_imports):
    """The run's test labels, checked; path labels in ``test_names`` are
    turned into dotted names in place (nose2 loads that very list). With
    nose2's testid plugin on, a label may be a test id ("3"). The import
    errors of labels' modules go into the dict ``failed_imports``."""
    top_level = session.topLevelDir or "."
    if test_names:
        test_names[:] = dotted_labels(test_names, top_level)
    test_labels = list(test_names or [])
    test_ids = nose2_compat.hook_calls_plugin_from(
        session, "loadTestsFromNames", NOSE2_TESTID_PLUGIN
    )
    failed_imports.update(check_labels(test_labels, top_level, test_ids))
    return test_labels
