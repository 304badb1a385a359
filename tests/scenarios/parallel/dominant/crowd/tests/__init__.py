"""``NSP_BASE=django`` swaps FastFixtureTestCase for django.test.TestCase
(Django's runner alone, or ``--bundle-testcases``); ``ran(test)`` appends
``pid module.Class`` to ``NSP_RAN_LOG`` and sleeps ``NSP_TEST_SLEEP``
seconds (a test's own work whose length no load on the machine changes,
for the wall predictions)."""

import os
import time

if os.environ.get("NSP_BASE") == "django":
    from django.test import TestCase as Base
else:
    from nose_speedup import FastFixtureTestCase as Base


def keys_rewind():
    """Whether ``loaddata`` puts the primary key sequence back after the
    fixtures (PostgreSQL, SQLite); MySQL and MariaDB never rewind
    AUTO_INCREMENT, under Django's runner too, so a new row's key there
    depends on what ran before it in the process."""
    from django.db import connection

    return connection.vendor != "mysql"


class _KeysRewind:
    def __bool__(self):
        return keys_rewind()


KEYS_REWIND = _KeysRewind()


def ran(test):
    time.sleep(float(os.environ.get("NSP_TEST_SLEEP", "0")))
    path = os.environ.get("NSP_RAN_LOG")
    if path:
        with open(path, "a") as log:
            log.write(f"{os.getpid()} {type(test).__module__}.{type(test).__qualname__}\n")


class PeopleChecks:
    """The tests of every ``test_people_NN`` module's class, which mixes it
    with ``Base`` and sets ``number``: 18 classes of one fixture bundle."""

    fixtures = ["people.json"]
    number = None

    @classmethod
    def setUpTestData(cls):
        from crowd.models import Person

        cls.made = Person.objects.create(name=f"made in {cls.number}")

    def test_fixture_rows_and_own_row(self):
        from crowd.models import Person

        ran(self)
        self.assertEqual(Person.objects.count(), 4)
        if KEYS_REWIND:
            self.assertEqual(self.made.pk, 8)

    def test_new_row_gets_the_next_key(self):
        from crowd.models import Person

        ran(self)
        made = Person.objects.create(name="new")
        if KEYS_REWIND:
            self.assertEqual(made.pk, 9)


__all__ = ["Base", "KEYS_REWIND", "PeopleChecks", "ran"]
