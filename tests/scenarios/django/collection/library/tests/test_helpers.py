"""What Django's runner does not collect: module-level functions, generators
and a Test* class that is not a TestCase. nose2's own loaders collect them."""
import unittest

from library.views import ShelfViewSet


def test_hook():
    pass


def test_function_runs_in_the_django_test_environment():
    # setup_test_environment() installs the locmem outbox.
    from django.core import mail

    assert mail.outbox == []


def check_positive(number):
    assert number > 0


def test_generated():
    yield check_positive, 1
    yield check_positive, 2


class TestShelfViewSetSubclassing(ShelfViewSet):
    """A view subclass used by the tests, not a test class."""

    def test_get_queryset(self):
        self.assertEqual(list(self.get_queryset()), [])


class PlainUnittestTests(unittest.TestCase):
    def test_plain(self):
        self.assertTrue(True)

    def test_Upper_sorts_before_lower(self):
        self.assertTrue(True)
