"""The load_tests protocol, used as Django's runner calls it: with unittest's
own loader, which has loadTestsFromTestCase."""
from django.test import SimpleTestCase

from library import checks


class LoadedTests(SimpleTestCase):
    def test_in_module(self):
        self.assertTrue(True)


def load_tests(loader, tests, pattern):
    tests.addTests(loader.loadTestsFromTestCase(checks.AddedByLoadTests))
    return tests
