import logging

from django.test import TestCase

from library.models import Shelf


class ViewLoggingTests(TestCase):
    def test_forbidden_is_403(self):
        self.assertEqual(self.client.get("/scenario-log/forbidden/").status_code, 403)

    def test_missing_is_404(self):
        self.assertEqual(self.client.get("/scenario-log/missing/").status_code, 404)

    def test_audited_view_logs(self):
        self.assertEqual(self.client.get("/scenario-log/audited/").status_code, 200)

    def test_fails_after_logging(self):
        logging.getLogger("library.stock").warning("scenario-log: logged by a failing test")
        self.assertEqual(Shelf.objects.count(), 1)
