from django.test import SimpleTestCase


class PackageInitTests(SimpleTestCase):
    """Defined in a test package's __init__: unittest's discovery loads it."""

    def test_in_package_init(self):
        self.assertTrue(True)
