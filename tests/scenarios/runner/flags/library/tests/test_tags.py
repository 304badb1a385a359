import unittest

from django.test import SimpleTestCase, TestCase, tag

from library.models import Author


@tag("slow")
class SlowAuthorTests(TestCase):
    fixtures = ["authors.json"]

    def test_fixture_author(self):
        self.assertEqual(Author.objects.get().name, "Ursula")

    @tag("core")
    def test_slow_and_core(self):
        self.assertTrue(Author.objects.exists())


class InheritsSlowTests(SlowAuthorTests):
    """Inherits the class tag "slow" and both tests."""

    def test_only_here(self):
        self.assertEqual(Author.objects.count(), 1)


class UntaggedTests(SimpleTestCase):
    @tag("core")
    def test_core_only(self):
        pass

    def test_untagged(self):
        pass


class PlainUnittestTests(unittest.TestCase):
    speed = "fast"  # for nose2's attrib plugin: -A speed=fast

    def test_plain_author_name(self):
        self.assertEqual("Ursula".lower(), "ursula")
