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


def log(line):
    path = os.environ.get("NSP_EVENT_LOG")
    if path:
        with open(path, "a") as events:
            events.write(line + "\n")


__all__ = ["Base", "CUSTOMERS", "EVENTS", "log"]
