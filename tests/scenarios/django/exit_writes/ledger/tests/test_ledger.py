"""Makes finalizer probes at import, in setUpClass and in a test."""
from django.test import SimpleTestCase

import exit_probe

RING = exit_probe.make("module")
FROM_TESTS = []


class ClassProbeTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ring = exit_probe.make("class")

    def test_class(self):
        pass


class TestProbeTests(SimpleTestCase):
    def test_makes_a_probe(self):
        FROM_TESTS.append(exit_probe.make("test"))
