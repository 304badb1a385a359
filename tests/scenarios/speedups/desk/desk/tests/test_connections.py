"""Classes in alphabetical order (unittest's), each recording the backend
connection its tests used. C, E and H leave session state behind on
PostgreSQL outside their transaction; D, F and I check that the next class
does not see it."""
from django.db import connection
from django.test import TestCase

from desk.report import record


def backend_id():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]
    connection.ensure_connection()
    return id(connection.connection)


def scalar(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


class ConnectionATests(TestCase):
    def test_a(self):
        record("backend_A", backend_id())


class ConnectionBTests(TestCase):
    def test_b(self):
        record("backend_B", backend_id())


class ConnectionCSetsAStatementTimeoutTests(TestCase):
    @classmethod
    def setUpClass(cls):
        # Before Django's class transaction: a session setting that survives
        # its rollback.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = '4321s'")
        super().setUpClass()

    def test_c(self):
        record("backend_C", backend_id())


class ConnectionDTests(TestCase):
    def test_d_sees_no_statement_timeout(self):
        record("backend_D", backend_id())
        if connection.vendor == "postgresql":
            self.assertEqual(scalar("SHOW statement_timeout"), "0")


class ConnectionETakesAnAdvisoryLockTests(TestCase):
    @classmethod
    def setUpClass(cls):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(4242)")
        super().setUpClass()

    def test_e(self):
        record("backend_E", backend_id())


class ConnectionFTests(TestCase):
    def test_f_holds_no_advisory_lock(self):
        record("backend_F", backend_id())
        if connection.vendor == "postgresql":
            held = scalar(
                "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() "
                "AND locktype = 'advisory'"
            )
            self.assertEqual(held, 0)


class ConnectionGTests(TestCase):
    def test_g(self):
        record("backend_G", backend_id())


class ConnectionHCreatesATemporaryTableTests(TestCase):
    @classmethod
    def setUpClass(cls):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("CREATE TEMPORARY TABLE desk_scratch (n integer)")
        super().setUpClass()

    def test_h(self):
        record("backend_H", backend_id())


class ConnectionITests(TestCase):
    def test_i_sees_no_temporary_table(self):
        record("backend_I", backend_id())
        if connection.vendor == "postgresql":
            self.assertIsNone(scalar("SELECT to_regclass('desk_scratch')"))
