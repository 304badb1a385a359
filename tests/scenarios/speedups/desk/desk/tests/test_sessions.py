from django.contrib.auth.models import User
from django.contrib.sessions.backends.cache import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from desk.report import record


class LoginTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = User.objects.create_user("ada", password="secret")

    def test_login_and_request(self):
        with CaptureQueriesContext(connection) as queries:
            self.assertTrue(self.client.login(username="ada", password="secret"))
            response = self.client.get("/whoami/")
        self.assertEqual(response.content, b"ada")
        record("login_queries", len(queries))
        record("session_queries", sum("django_session" in q["sql"] for q in queries))
        record("session_rows", Session.objects.count())
        session_key = self.client.session.session_key
        # Never in the project's own cache, whatever the engine.
        self.assertIsNone(caches["default"].get(KEY_PREFIX + session_key))
        record("session_engine", self.client.session.__module__)

    def test_password_hasher(self):
        record("password_algorithm", self.user.password.split("$")[0])

    def test_logout_ends_the_session(self):
        self.client.login(username="ada", password="secret")
        self.client.logout()
        self.assertEqual(self.client.get("/whoami/").content, b"")


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.db")
class DatabaseSessionTests(TestCase):
    """The documented way out: a class whose sessions must be in the database."""

    def test_login_stores_the_session_in_the_database(self):
        User.objects.create_user("bob", password="secret")
        self.assertTrue(self.client.login(username="bob", password="secret"))
        self.assertEqual(Session.objects.count(), 1)
        self.assertEqual(self.client.get("/whoami/").content, b"bob")
