"""The recent-entries feed, read from the ``archive`` alias."""

from django.urls import reverse

from nose_speedup import FastFixtureTestCase


class RecentAuditViewTests(FastFixtureTestCase):
    databases = {"default", "archive"}
    fixtures = ["audit_log"]

    def get_results(self, **params):
        response = self.client.get(reverse("audit:recent"), params)
        self.assertEqual(response.status_code, 200)
        return response.json()["results"]

    def test_default_lists_five_newest(self):
        results = self.get_results()
        self.assertEqual(len(results), 5)
        self.assertEqual(results[0], "2024-03-10 00:00 stock-bot Updated catalog.product#307")

    def test_limit_parameter(self):
        self.assertEqual(
            self.get_results(limit=2),
            [
                "2024-03-10 00:00 stock-bot Updated catalog.product#307",
                "2024-03-02 10:00 admin Deleted catalog.product#319",
            ],
        )

    def test_limit_is_capped_by_available_entries(self):
        self.assertEqual(len(self.get_results(limit=1000)), 12)

    def test_filter_by_actor(self):
        results = self.get_results(actor="warehouse")
        self.assertEqual(len(results), 3)
        self.assertTrue(all(" warehouse Updated orders.order#" in line for line in results))

    def test_non_integer_limit_is_a_bad_request(self):
        response = self.client.get(reverse("audit:recent"), {"limit": "many"})
        self.assertEqual(response.status_code, 400)
