from django.test import SimpleTestCase


class LeftToLoadTests(SimpleTestCase):
    """Its package's load_tests does not load it, so Django never runs it."""

    def test_never_collected(self):
        self.assertTrue(True)
