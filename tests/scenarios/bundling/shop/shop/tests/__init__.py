"""``NSP_BASE=django`` swaps FastFixtureTestCase for django.test.TestCase, so
a test can compare the two on the very same classes."""

import os

if os.environ.get("NSP_BASE") == "django":
    from django.test import TestCase as Base
else:
    from nose_speedup import FastFixtureTestCase as Base

CUSTOMERS = ["customers.json"]
CUSTOMERS_ORDERS = ["customers.json", "orders.json"]
VIP = ["vip.json"]

__all__ = ["Base", "CUSTOMERS", "CUSTOMERS_ORDERS", "VIP"]
