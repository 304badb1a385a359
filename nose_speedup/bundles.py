"""Bundle bookkeeping: which classes share a fixture load, and its transaction.

``BundledRun(tests)`` groups the ``FastFixtureTestCase`` classes of a flat
test sequence into bundles, moves each bundle's classes to where its first
class stood (so Django's ordering and shuffling are otherwise kept), and sets
the public attributes that tell each class its part. ``units`` lists the
units of work in order (one per bundle, one per class outside bundles) and
``suite`` runs them, ending each bundle before the next unit starts.
``finish()`` rolls back any bundle a KeyboardInterrupt left open and puts
the attributes back; ``summary_lines()`` says what bundling did, from counts
the bundles kept while the run went on.

A ``FixtureBundle`` is the shared state of one bundle: its atomic blocks
(one per database), the models its fixtures loaded, and its counts.
"""

import sys

from nose_speedup.fixture_errors import describe_fixture_error
from nose_speedup.timing import recorder

# The attributes the plan sets on a class for the run, with their defaults.
CLASS_ATTRIBUTES = ("fixture_bundle", "sets_up_fixture_bundle", "tears_down_fixture_bundle")
MISSING = object()


class FixtureBundleError(Exception):
    """A bundle's fixtures could not be loaded; the message says why and what
    to fix. Raised from ``setUpClass``, so unittest reports it on the class."""


def class_name(test_class):
    return f"{test_class.__module__}.{test_class.__qualname__}"


class FixtureBundle:
    """One set of fixtures, loaded once in a transaction its classes share.

    The bundle owns its life; the run and its classes only tell it when:

    * ``start_class``: the run, before each class's ``setUpClass``. A
      transaction a test lost (``connection.close()``,
      ``close_old_connections()``) is rolled back here, so the class reloads;
      the class is told whether it sets the bundle up;
    * ``enter``: the class's ``setUpClass``, with Django's settings overrides
      in place. The class told to set up opens a transaction per database and
      loads the fixtures; any other resets the sequences ``loaddata`` reset,
      so new rows get the primary keys they get under Django;
    * ``leave``: the class's ``tearDownClass``. The class told to tear down
      rolls the transaction back and closes the connections;
    * ``close``: the run, after the bundle's last class however it ended.
      Nothing to do when that class tore the bundle down.
    """

    def __init__(self, key, classes):
        self.key = key
        self.classes = classes
        self.atomics = None
        self.loaded_models = {}  # alias -> the models loaddata loaded there
        self.failure = None  # (opener, describe_fixture_error's text)
        self.loads = 0
        self.lost = 0  # transactions lost to a closed connection, and reloaded
        self.classes_entered = 0

    @property
    def is_open(self):
        return self.atomics is not None

    def start_class(self, test_class):
        from nose_speedup import compat

        if self.is_open and not compat.atomics_alive(self.atomics):
            self.lost += 1
            self.close()
        test_class.sets_up_fixture_bundle = (
            not self.is_open and self.failure is None and not is_skipped(test_class)
        )

    def enter(self, test_class):
        from nose_speedup import compat

        self.classes_entered += 1
        if self.failure is not None:
            opener, detail = self.failure
            raise FixtureBundleError(
                f"fixture-bundling: {class_name(test_class)} was not run because the "
                f"fixtures of its bundle did not load in {opener}, which {detail}"
            )
        if test_class.sets_up_fixture_bundle:
            self.open(test_class)
        else:
            compat.reset_sequences(self.loaded_models)

    def open(self, test_class):
        from nose_speedup import compat

        self.atomics = compat.enter_atomics(test_class)
        self.loads += 1
        started = recorder.now()
        try:
            self.loaded_models = compat.load_fixtures(test_class)
            recorder.fixture_load(self, started)
        except Exception as error:
            self.close()
            detail = describe_fixture_error(test_class, error)
            self.failure = (class_name(test_class), detail)
            raise FixtureBundleError(
                f"fixture-bundling: {class_name(test_class)} {detail}"
            ) from error

    def leave(self, test_class):
        if test_class.tears_down_fixture_bundle:
            self.close()

    def close(self):
        """Roll back the bundle's transaction (and anything left open above
        it) on each database, then close the connections as Django does after
        a class. Does nothing when the bundle is not open."""
        from nose_speedup import compat

        atomics, self.atomics = self.atomics, None
        self.loaded_models = {}
        if atomics is None:
            return
        try:
            for alias in reversed(list(atomics)):
                compat.roll_back_through(alias, atomics[alias])
        finally:
            compat.close_connections()


def frozen(value):
    """``value`` as a hashable value equal for equal settings: containers
    frozen recursively, other unhashable objects equal only to themselves."""
    if isinstance(value, dict):
        items = ((frozen(key), frozen(item)) for key, item in value.items())
        return ("dict", tuple(sorted(items, key=repr)))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(frozen(item) for item in value))
    if isinstance(value, (set, frozenset)):
        return ("set", frozenset(frozen(item) for item in value))
    try:
        hash(value)
    except TypeError:
        return ("object", id(value))
    return (type(value), value)


def bundle_key(test_class):
    """Classes with equal keys can share a fixture load: what ``loaddata``
    produces depends on the fixture files, the databases, the installed apps
    and the settings (``TIME_ZONE``, ``FIXTURE_DIRS``, ...), so every
    class-level ``@override_settings``/``@modify_settings`` is part of it."""
    from nose_speedup import compat

    available_apps = test_class.available_apps
    return (
        tuple(test_class.fixtures),
        tuple(sorted(compat.database_aliases(test_class))),
        None if available_apps is None else tuple(available_apps),
        frozen(compat.class_settings(test_class)),
    )


def is_skipped(test_class):
    """unittest's own test for skipping a whole class. Django's class-level
    ``skipUnlessDBFeature`` is a lazy condition: evaluated here, at run time,
    on the test databases, as unittest would a moment later."""
    try:
        return bool(getattr(test_class, "__unittest_skip__", False))
    except Exception:
        return False  # unittest evaluates it again and reports the error


class BundledRun:
    """The bundles of one run, and the regrouped suite that runs them.

    ``units``: the units of work in run order, each a list of tests: the
    tests of one bundle's classes, or of one class outside any bundle.
    ``suite`` runs them (``nose_speedup.bundled_suite``); a subset of the
    units is run by building a ``BundledRun`` of their tests."""

    def __init__(self, tests):
        from nose_speedup import compat
        from nose_speedup.bundled_suite import BundledSuite, module_stretches
        from nose_speedup.testcases import FastFixtureTestCase

        tests = list(tests)
        self.saved_attributes = {}
        self.bundles = []
        self.not_bundled = {}  # reason -> the classes it kept out
        slots = []  # tests, and bundle keys (tuples) where each bundle goes
        grouped = {}  # bundle key -> {class: [tests]}
        for test in tests:
            test_class = type(test)
            if not isinstance(test, FastFixtureTestCase):
                slots.append(test)
                continue
            self.reset_attributes(test_class)
            fixtures = test_class.fixtures
            if test_class.exempt_from_fixture_bundling or not fixtures or isinstance(fixtures, str):
                slots.append(test)  # a string gets its error from setUpClass
                continue
            try:
                reasons = compat.missing_transaction_support(test_class)
            except Exception:
                # e.g. ``databases`` names an alias settings lack: left alone,
                # the class gets Django's own error from its setUpClass.
                slots.append(test)
                continue
            if reasons:
                slots.append(test)
                self.count_not_bundled(test_class, "; ".join(reasons))
                continue
            key = bundle_key(test_class)
            if key not in grouped:
                grouped[key] = {}
                slots.append(key)
            grouped[key].setdefault(test_class, []).append(test)
        self.units = []
        for slot in slots:
            if not isinstance(slot, tuple):
                self.add_test(slot)
            elif self.add_bundle(slot, list(grouped[slot])):
                self.units.append([test for tests in grouped[slot].values() for test in tests])
            else:
                for class_tests in grouped[slot].values():
                    for test in class_tests:
                        self.add_test(test)
        self.suite = BundledSuite(self.units, module_stretches(tests))

    def add_test(self, test):
        """One more test outside any bundle: its class's unit."""
        last = self.units[-1] if self.units else None
        if last and type(last[-1]) is type(test) and bundle_of_test(last[-1]) is None:
            last.append(test)
        else:
            self.units.append([test])

    def count_not_bundled(self, test_class, reason):
        self.not_bundled.setdefault(reason, set()).add(test_class)

    def add_bundle(self, key, classes):
        """Make the classes a bundle, unless fewer than two of them would run
        (a bundle of one runs Django's setUpClass). Which class sets the
        bundle up is decided as they start; the last class that is not
        skipped tears it down."""
        runnable = [test_class for test_class in classes if not is_skipped(test_class)]
        if len(runnable) < 2:
            return False
        bundle = FixtureBundle(key, classes)
        self.bundles.append(bundle)
        for test_class in classes:
            test_class.fixture_bundle = bundle
            test_class.sets_up_fixture_bundle = False
            test_class.tears_down_fixture_bundle = test_class is runnable[-1]
        return True

    def reset_attributes(self, test_class):
        """Give the class its defaults in its own ``__dict__``, so it cannot
        inherit a bundled parent's part."""
        if test_class in self.saved_attributes:
            return
        self.saved_attributes[test_class] = {
            name: test_class.__dict__.get(name, MISSING) for name in CLASS_ATTRIBUTES
        }
        test_class.fixture_bundle = None
        test_class.sets_up_fixture_bundle = True
        test_class.tears_down_fixture_bundle = True

    def finish(self):
        """After the run, whatever stopped it: roll back open bundles (after
        a KeyboardInterrupt) and restore the class attributes."""
        try:
            for bundle in self.bundles:
                try:
                    bundle.close()
                except Exception as error:
                    sys.stderr.write(
                        f"fixture-bundling: could not roll back the bundle of "
                        f"{class_name(bundle.classes[0])}: {error}\n"
                    )
        finally:
            for test_class, saved in self.saved_attributes.items():
                for name, value in saved.items():
                    if value is MISSING:
                        delattr(test_class, name)
                    else:
                        setattr(test_class, name, value)

    def counts_text(self, saved=""):
        """``N classes in M bundles; fixtures loaded L times instead of N``
        (with ``saved`` after the counts), or ``None`` when no bundle ran."""
        used = [bundle for bundle in self.bundles if bundle.classes_entered]
        if not used:
            return None
        classes = sum(bundle.classes_entered for bundle in used)
        loads = sum(bundle.loads for bundle in used)
        lost = sum(bundle.lost for bundle in used)
        reloads = f" ({lost} again after a test closed the connection)" if lost else ""
        return (
            f"{plural(classes, 'class')} in {plural(len(used), 'bundle')}; "
            f"fixtures loaded {plural(loads, 'time')} instead of {classes}{saved}{reloads}"
        )

    def summary_lines(self, with_counts=True):
        """What bundling did, from the counts of this run; without the
        counts line when the timing plugin prints it in its own line."""
        counts = self.counts_text()
        lines = []
        if counts:
            if with_counts:
                lines.append(f"fixture bundling: {counts}")
        elif not self.not_bundled:
            lines.append(
                "fixture bundling: no two classes that ran share fixtures; nothing bundled"
            )
        for reason, not_bundled in sorted(self.not_bundled.items()):
            lines.append(
                f"fixture bundling: {plural(len(not_bundled), 'class')} not bundled because "
                f"{reason}: they load their fixtures themselves, as Django does"
            )
        return lines


def bundle_of_test(test):
    return getattr(type(test), "fixture_bundle", None)


def plural(count, noun):
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {noun}es" if noun.endswith("s") else f"{count} {noun}s"
