"""Which plain ``django.test.TestCase`` classes would bundle, and what it would save.

A team adopting nose-speedup finds its biggest win in one run: among the
classes that ran, the ``django.test.TestCase`` classes (not
``FastFixtureTestCase``) that bundle by the one rule
(``nose_speedup.bundling.rule``: same fixtures, databases, apps and
class-level settings) would load their fixtures once instead of once each,
and not at all when a ``FastFixtureTestCase`` bundle of their key exists
(they join it). The seconds are
estimated from this run's measurements: the cheapest class set-up of the
group (its fixture load and the least ``setUpTestData`` of them) times the
loads avoided; none when no class of the group was measured. The class to
change is the one that derives from ``django.test.TestCase`` directly: often
a single project base class serves most groups.
"""

from dataclasses import dataclass, field

from nose_speedup.timing import store

FAST_BASE = "nose_speedup.FastFixtureTestCase"


@dataclass
class WouldBeBundle:
    name: str
    classes: list
    seconds: float = None  # estimated seconds saved; None when unmeasured
    joins: bool = False  # its classes join a FastFixtureTestCase bundle of their key

    @property
    def loads_avoided(self):
        return len(self.classes) if self.joins else len(self.classes) - 1


@dataclass
class Advice:
    bundles: list = field(default_factory=list)
    bases: dict = field(default_factory=dict)  # base class name -> classes it serves

    @property
    def classes(self):
        return sum(len(bundle.classes) for bundle in self.bundles)

    @property
    def loads(self):
        return sum(not bundle.joins for bundle in self.bundles)

    @property
    def seconds(self):
        measured = [bundle.seconds for bundle in self.bundles if bundle.seconds is not None]
        return sum(measured) if measured else None


def base_to_change(test_class):
    """The class in ``test_class``'s ancestry that names ``TestCase`` as a base."""
    from django.test import TestCase

    for klass in test_class.__mro__:
        if TestCase in klass.__bases__:
            return klass
    return test_class


def candidate_key(test_class):
    """The bundle key of a ``TestCase`` class that could bundle (by the one
    rule, ``nose_speedup.bundling.rule``, as ``testcases = all`` reads it),
    else None."""
    from nose_speedup.bundling import rule
    from nose_speedup.bundling.bundle import is_skipped

    if is_skipped(test_class):
        return None
    return rule.decide(test_class, rule.ALL).key


def advise(test_classes, class_seconds):
    """``Advice`` for the classes that ran (``class_seconds``: measured set-ups).
    A plain class whose key is that of a ``FastFixtureTestCase`` class joins
    that class's bundle: it loads nothing of its own."""
    from nose_speedup.bundling.plan import bundle_name
    from nose_speedup.testcases import FastFixtureTestCase

    groups = {}
    for test_class in test_classes:
        key = candidate_key(test_class)
        if key is not None:
            groups.setdefault(key, []).append(test_class)
    advice = Advice()
    for key, classes in groups.items():
        plain = [klass for klass in classes if not issubclass(klass, FastFixtureTestCase)]
        joins = len(plain) < len(classes)  # a FastFixtureTestCase bundle exists
        if not plain or len(classes) < 2:
            continue
        names = [store.class_name(test_class) for test_class in plain]
        measured = [class_seconds[name] for name in names if name in class_seconds]
        avoided = len(plain) if joins else len(plain) - 1
        seconds = min(measured) * avoided if measured else None
        advice.bundles.append(WouldBeBundle(bundle_name(key), names, seconds, joins))
        for test_class in plain:
            base = store.class_name(base_to_change(test_class))
            advice.bases.setdefault(base, []).append(store.class_name(test_class))
    advice.bundles.sort(key=lambda bundle: (-(bundle.seconds or 0), bundle.name))
    return advice


def lines(advice):
    """The advisor's part of the report; none when nothing would bundle."""
    from nose_speedup.bundling.plan import plural

    if not advice.bundles:
        return []
    saved = f" (~{advice.seconds:.2f} s saved)" if advice.seconds is not None else ""
    out = [
        f"Advisor: {advice.classes} django.test.TestCase classes share fixtures; as "
        f"{FAST_BASE} they would load them {plural(advice.loads, 'time')} instead of "
        f"{advice.classes}{saved} (or, without a code change: --bundle-testcases, "
        "[fixture-bundling] testcases = all):"
    ]
    for base, classes in sorted(advice.bases.items(), key=lambda item: (-len(item[1]), item[0])):
        out.append(
            f"  derive {base} from {FAST_BASE} instead of django.test.TestCase "
            f"({len(classes)} of these classes)"
        )
    for bundle in advice.bundles:
        seconds = f", ~{bundle.seconds:.2f} s" if bundle.seconds is not None else ""
        joins = " (joining its FastFixtureTestCase bundle)" if bundle.joins else ""
        out.append(
            f"  would-be bundle {bundle.name}: {plural(len(bundle.classes), 'class')}{joins}, "
            f"{plural(bundle.loads_avoided, 'load')} avoided{seconds}"
        )
    return out
