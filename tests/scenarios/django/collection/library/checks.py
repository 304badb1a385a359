"""Not a test module: tests that only a load_tests function adds."""
from django.test import SimpleTestCase


class AddedByLoadTests(SimpleTestCase):
    def test_added_by_load_tests(self):
        self.assertTrue(True)


class AddedByPackageLoadTests(SimpleTestCase):
    def test_added_by_package_load_tests(self):
        self.assertTrue(True)
