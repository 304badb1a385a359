import time

from django.test import TestCase

from library.models import Author


class QueryTests(TestCase):
    def test_fails_after_a_query(self):
        Author.objects.create(name="Marker-Query-Name")
        self.assertEqual(Author.objects.filter(name="Marker-Query-Name").count(), 2)

    def test_passes_after_a_query(self):
        Author.objects.create(name="Passing-Query-Name")
        self.assertEqual(Author.objects.count(), 1)

    def test_prints_and_passes(self):
        print("printed-by-a-passing-test")

    def test_takes_a_while(self):
        time.sleep(0.4)  # the slowest by far, even on a loaded machine
