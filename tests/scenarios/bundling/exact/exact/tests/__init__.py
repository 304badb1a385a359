"""``NSP_BASE=django`` swaps FastFixtureTestCase for django.test.TestCase, so
a run under Django's runner is Django's alone. ``log(line)`` appends to the
file named by ``NSP_EVENT_LOG``: module fixtures and primary keys, compared
between runs."""

import os

if os.environ.get("NSP_BASE") == "django":
    from django.test import TestCase as Base
else:
    from nose_speedup import FastFixtureTestCase as Base

CUSTOMERS = ["customers.json"]
EVENTS = ["events.json"]


def classes_after_a_bundle(module_name):
    """The classes that run right after a bundle whose end is under test: a
    plain TestCase and another bundle, which must see no row of the first.
    Made per module, so each module holds (and names) its own."""
    from django.test import TestCase

    from exact.models import Customer, Event

    def sees_no_fixture_rows(self):
        self.assertEqual(Customer.objects.count(), 0)

    def own_fixtures_only(self):
        self.assertEqual((Event.objects.count(), Customer.objects.count()), (1, 0))

    made = []
    for name, base, attributes in (
        ("C_PlainTests", TestCase, {"test_sees_no_fixture_rows": sees_no_fixture_rows}),
        ("D_NextBundleTests", Base, {"fixtures": EVENTS, "test_own_fixtures_only": own_fixtures_only}),
        ("E_NextBundleTests", Base, {"fixtures": EVENTS, "test_own_fixtures_only": own_fixtures_only}),
    ):
        made.append(type(name, (base,), {"__module__": module_name, "__qualname__": name, **attributes}))
    return made


def log(line):
    path = os.environ.get("NSP_EVENT_LOG")
    if path:
        with open(path, "a") as events:
            events.write(line + "\n")


__all__ = ["Base", "CUSTOMERS", "EVENTS", "classes_after_a_bundle", "log"]
