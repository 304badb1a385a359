"""The bundles of one run: which classes share a fixture load, and the suite
that runs them.

``BundledRun(tests)`` groups the ``FastFixtureTestCase`` classes of a flat
test sequence into bundles (``nose_speedup.bundling.bundle``), moves each
bundle's classes to where its first class stood (so Django's ordering and
shuffling are otherwise kept), and sets the public attributes that tell each
class its part. ``units`` lists the units of work in order (one per bundle,
one per class outside bundles) and ``suite`` runs them, ending each bundle
before the next unit starts. ``finish()`` rolls back any bundle a
KeyboardInterrupt left open and puts the attributes back; ``summary_lines()``
says what bundling did, from counts the bundles kept while the run went on.
``counts_text`` words those counts for any bundles, and ``CountedRun`` holds
the figures of bundles that ran in other processes.
"""

import sys

from nose_speedup.bundling import rule
from nose_speedup.bundling.bundle import FixtureBundle, is_skipped
from nose_speedup.bundling.fixture_errors import class_name
from nose_speedup.bundling.rule import bundle_key, frozen  # noqa: F401 (their old home)

# The public attributes a run sets on each FastFixtureTestCase class, and
# puts back afterwards (FastFixtureTestCase documents them).
CLASS_ATTRIBUTES = ("fixture_bundle", "sets_up_fixture_bundle", "tears_down_fixture_bundle")
MISSING = object()


def bundle_name(key):
    """A stable name for a bundle key: its fixtures, its databases when not
    only ``default``, and a digest of its apps and settings when it has any.
    The durations file and the report name bundles by it."""
    import hashlib

    fixtures, aliases, apps, settings = key
    name = ", ".join(fixtures)
    if aliases != ("default",):
        name += f" [databases: {', '.join(aliases)}]"
    if apps is not None or settings != frozen(({}, [])):
        digest = hashlib.sha1(repr((apps, settings)).encode()).hexdigest()[:8]
        name += f" [settings {digest}]"
    return name


class BundledRun:
    """The bundles of one run, and the regrouped suite that runs them.

    ``units``: the units of work in run order, each a list of tests: the
    tests of one bundle's classes, or of one class outside any bundle.
    ``suite`` runs them (``nose_speedup.bundling.suite``); a subset of the
    units is run by building a ``BundledRun`` of their tests."""

    def __init__(self, tests, mode=rule.FAST):
        from nose_speedup.bundling.suite import BundledSuite, module_stretches

        tests = list(tests)
        self.mode = mode  # rule.FAST or rule.ALL ([fixture-bundling] testcases)
        self.saved_attributes = {}
        self.bundles = []
        self.not_bundled = {}  # reason -> the classes it kept out
        slots = []  # tests, and bundle keys (tuples) where each bundle goes
        grouped = {}  # bundle key -> {class: [tests]}
        decisions = {}  # class -> rule.Decision
        for test in tests:
            test_class = type(test)
            if test_class not in decisions:
                decisions[test_class] = rule.decide(test_class, mode)
                if rule.is_taken(test_class, mode):
                    self.reset_attributes(test_class)
            decision = decisions[test_class]
            if decision.key is None:
                slots.append(test)
                if decision.reason:
                    self.count_not_bundled(test_class, decision.reason)
                continue
            key = decision.key
            if key not in grouped:
                grouped[key] = {}
                slots.append(key)
            grouped[key].setdefault(test_class, []).append(test)
        if mode == rule.ALL:
            from nose_speedup.bundling import plain

            plain.take_over()
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
        bundle = FixtureBundle(bundle_name(key), classes)
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
            if self.mode == rule.ALL:
                from nose_speedup.bundling import plain

                plain.give_back()
            for test_class, saved in self.saved_attributes.items():
                for name, value in saved.items():
                    if value is MISSING:
                        delattr(test_class, name)
                    else:
                        setattr(test_class, name, value)

    def counts_text(self, saved=""):
        return counts_text(self.bundles, saved)

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


class CountedRun:
    """The bundles of a run that went on in other processes (the parallel
    plugin's workers, and its main process for tests that cannot be
    pickled), as ``BundleFigures``: what the timing plugin reads of a
    ``BundledRun`` (``bundles``, ``counts_text``)."""

    def __init__(self, figures):
        self.bundles = list(figures)

    def counts_text(self, saved=""):
        return counts_text(self.bundles, saved)


def counts_text(bundles, saved=""):
    """``N classes in M bundles; fixtures loaded L times instead of N``
    (with ``saved`` after the counts) for ``bundles`` (``FixtureBundle`` or
    ``BundleFigures``), or ``None`` when no bundle ran."""
    used = [bundle for bundle in bundles if bundle.classes_entered]
    if not used:
        return None
    classes = sum(bundle.classes_entered for bundle in used)
    names = {bundle.name for bundle in used}  # the shares of a split bundle are one
    loads = sum(bundle.loads for bundle in used)
    lost = sum(bundle.lost for bundle in used)
    reloads = f" ({lost} again after a test closed the connection)" if lost else ""
    return (
        f"{plural(classes, 'class')} in {plural(len(names), 'bundle')}; "
        f"fixtures loaded {plural(loads, 'time')} instead of {classes}{saved}{reloads}"
    )


def bundle_of_test(test):
    return getattr(type(test), "fixture_bundle", None)


def plural(count, noun):
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {noun}es" if noun.endswith("s") else f"{count} {noun}s"
