"""In a directory without __init__.py: unittest's discovery (so Django's
runner) never looks here; nose2 walks any directory named *test*."""
from django.test import SimpleTestCase


class OrphanTests(SimpleTestCase):
    def test_in_a_directory_that_is_no_package(self):
        self.assertTrue(True)
