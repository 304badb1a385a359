import json
from urllib.request import urlopen

from django.test import LiveServerTestCase

from shelf.models import Book


class LiveServerTests(LiveServerTestCase):
    def test_server_sees_committed_rows(self):
        Book.objects.create(title="Served")
        with urlopen(f"{self.live_server_url}/books/") as response:
            self.assertGreaterEqual(json.load(response)["books"], 1)
