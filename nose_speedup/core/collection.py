"""Collect the tests Django's runner collects, under nose2.

Django's ``DiscoverRunner`` loads test modules with unittest's own loader:
the ``test*`` methods of ``unittest.TestCase`` subclasses, and whatever a
module's ``load_tests(loader, tests, pattern)`` returns, called with that
loader; its discovery walks packages only, loads each package's
``__init__`` as a test module too, and leaves a package whose ``load_tests``
exists to that function. nose2's default loaders collect more: module-level ``test*``
functions, generator functions and methods, ``@params`` tests, any class
whose name starts with ``Test`` (a view subclass named
``TestPageViewSetSubclassing`` included, whose ``test_*`` methods then
error), and they skip ``__test__ = False``. A suite that is green and
counted under ``manage.py test`` would be red and counted differently under
nose2, so by default the django plugin switches those loaders off and loads
each module exactly as unittest does.

``nose2-collection = True`` (``--django-nose2-collection``) keeps nose2's
loaders; their tests then run inside the Django test environment like the
rest (settings, test databases, ``mail.outbox``), after Django's classes.
"""

import os
import traceback
import unittest

from nose2 import util

from nose_speedup.compat import nose2_compat
from nose_speedup.core import labels

# nose2's loaders (and its __test__ filter) that Django's runner has no
# counterpart for.
NOSE2_ONLY_LOADERS = (
    "nose2.plugins.loader.functions",
    "nose2.plugins.loader.generators",
    "nose2.plugins.loader.parameters",
    "nose2.plugins.loader.testclasses",
    "nose2.plugins.dundertest",
    # It calls load_tests with nose2's loader, which has no
    # loadTestsFromTestCase; DjangoCollection calls it as unittest does.
    "nose2.plugins.loader.loadtests",
)
NOSE2_LOAD_TESTS_PLUGIN = "nose2.plugins.loader.loadtests"


def take_over_loading(session, nose2_collection):
    """Call modules' ``load_tests`` as unittest does (``call_load_tests``),
    and unless ``nose2_collection``, stop nose2's own loaders from collecting
    what Django's runner would not."""
    # With nose2's collection its handleDir (a package's load_tests) stays.
    load_tests_plugins = nose2_compat.plugins_from(session, NOSE2_LOAD_TESTS_PLUGIN)
    nose2_compat.stop_calling(session, load_tests_plugins, ["moduleLoadedSuite"])
    if nose2_collection:
        return
    silenced = [
        plugin for module in NOSE2_ONLY_LOADERS
        for plugin in nose2_compat.plugins_from(session, module)
    ]
    nose2_compat.stop_calling(session, silenced)


class ModuleTests(unittest.TestSuite):
    """The tests loaded from one test module, ``load_tests`` additions
    included; ``module_name`` lets Django's discovery order keep them with
    the module that loaded them (``nose_speedup.core.ordering``)."""

    def __init__(self, module_name=None, tests=()):
        # module_name has a default because nose2's plugins (attrib) rebuild
        # a suite as ``suite.__class__()``.
        super().__init__(tests)
        self.module_name = module_name


def walked_by_unittest(directory, start_paths):
    """Whether unittest's discovery looks into ``directory``: a start
    directory (or one named on the command line), or a package. nose2 also
    walks any directory whose name contains "test", and ``lib``/``src``."""
    directory = os.path.abspath(directory)
    if directory in {os.path.abspath(path) for path in start_paths}:
        return True
    return os.path.isfile(os.path.join(directory, "__init__.py"))


def unittest_loader(test_method_prefix):
    loader = unittest.TestLoader()
    loader.testMethodPrefix = test_method_prefix
    return loader


def load_test_cases(module, test_method_prefix):
    """The ``TestCase`` classes' tests of a module, found as unittest's
    ``loadTestsFromModule`` finds them (``load_tests`` comes after)."""
    loader = unittest_loader(test_method_prefix)
    tests = []
    for name in dir(module):
        obj = getattr(module, name)
        if (
            isinstance(obj, type)
            and issubclass(obj, unittest.TestCase)
            and obj not in (unittest.TestCase, unittest.FunctionTestCase)
        ):
            tests.append(loader.loadTestsFromTestCase(obj))
    return loader.suiteClass(tests)


def call_load_tests(module, tests, nose2_loader, test_method_prefix, pattern):
    """``tests`` after the module's ``load_tests(loader, tests, pattern)``,
    called with unittest's loader as under Django (nose2 passes its own, which
    has no ``loadTestsFromTestCase``), as one ``ModuleTests``. A
    ``load_tests`` that raises becomes a failing test, as nose2 reports it."""
    load_tests = getattr(module, "load_tests", None)
    if load_tests is not None:
        try:
            tests = load_tests(unittest_loader(test_method_prefix), tests, pattern)
        except Exception as error:
            tests = nose2_loader.failedLoadTests(module.__name__, error)
    return ModuleTests(module.__name__, [tests])


def load_test_case_tests(test_case_class, test_method_prefix):
    """A ``TestCase`` class's tests as unittest's loader finds them."""
    return unittest_loader(test_method_prefix).loadTestsFromTestCase(test_case_class)


class DjangoCollection:
    """What the django plugin's loading hooks do for one run."""

    def __init__(self, session, nose2_collection):
        self.session = session
        self.nose2_collection = nose2_collection
        # {module name: tests it gave}, for the modules loaded so far.
        self.loaded_modules = {}
        # {label: its module's import error}, filled by labels.take_labels.
        self.failed_imports = {}
        take_over_loading(session, nose2_collection)

    def take_labels(self, test_names):
        """The run's labels, checked (``labels.take_labels``)."""
        return labels.take_labels(self.session, test_names, self.failed_imports)

    def load_module(self, event):
        """``loadTestsFromModule``: the module's ``TestCase`` classes, found
        as unittest finds them, unless nose2's loaders collect."""
        if self.nose2_collection:
            return None
        event.handled = True
        return load_test_cases(event.module, self.session.testMethodPrefix)

    def handle_dir(self, event):
        """``handleDir``: unittest's discovery loads each package it walks
        as a test module (its ``__init__``'s ``TestCase`` classes), and a
        package with ``load_tests`` gets to load the whole package itself;
        nose2 only looks at files matching the pattern."""
        if self.nose2_collection or not os.path.isfile(os.path.join(event.path, "__init__.py")):
            return None
        name, _ = util.name_from_path(event.path)
        try:
            package = util.module_from_name(name)
        except Exception:  # the user's package, any error: reported as a test
            event.handled = True
            return event.loader.failedImport(name)
        has_load_tests = hasattr(package, "load_tests")
        if name in self.loaded_modules:
            # Named on the command line and loaded already. Django's runner
            # then discovers in the package only when that found no test.
            event.handled = has_load_tests or self.loaded_modules[name] > 0
            return None
        prefix = self.session.testMethodPrefix
        tests = call_load_tests(
            package, load_test_cases(package, prefix), event.loader, prefix, event.pattern
        )
        self.loaded_modules[name] = tests.countTestCases()
        if has_load_tests:
            event.handled = True
            return tests
        event.extraTests.append(tests)
        return None

    def load_name(self, event):
        """``loadTestsFromName``: a label under a test module that fails to
        import becomes one failed test with that module's own error, the
        module imported once, as under Django's runner (nose2's loaders each
        import it again, and report an ``AttributeError`` about its package).
        ``failed_imports`` has the errors the label check met already."""
        error = self.failed_imports.get(event.name)
        parts = event.name.split(".")
        if error is None and event.module is None and all(p.isidentifier() for p in parts):
            try:
                labels.import_longest(parts)
            except Exception as raised:
                error = raised
        if error is None:
            return None  # nose2 loads it; its module is imported by now
        event.handled = True
        text = "".join(traceback.format_exception(error))
        message = f"Failed to import test module: {event.name}\n{text}"
        return event.loader.failedLoadTests(event.name, ImportError(message))

    def call_load_tests(self, event):
        """``moduleLoadedSuite``: the module's ``load_tests``, as unittest calls it."""
        event.suite = call_load_tests(
            event.module, event.suite, event.loader, self.session.testMethodPrefix,
            self.session.testFilePattern,
        )
        self.loaded_modules[event.module.__name__] = event.suite.countTestCases()

    def match_dir(self, event, labels):
        """``matchDirPath``: False for a directory unittest would not walk."""
        start_paths = [self.session.startDir or ".", *labels]
        if self.nose2_collection or walked_by_unittest(event.path, start_paths):
            return None
        event.handled = True
        return False

    def load_test_case(self, event):
        """``loadTestsFromTestCase``: unittest's loader, which reads only the
        ``test*`` attributes, for every class (with nose2's collection, for
        Django's classes only: nose2's generator and params loaders read every
        class attribute, evaluating class-level ``skipUnlessDBFeature``
        against the real database and calling ``LiveServerTestCase``'s
        ``live_server_url`` before its server exists)."""
        if self.nose2_collection:
            from django.test import SimpleTestCase

            if not issubclass(event.testCase, SimpleTestCase):
                return None
        event.handled = True
        return load_test_case_tests(event.testCase, self.session.testMethodPrefix)
