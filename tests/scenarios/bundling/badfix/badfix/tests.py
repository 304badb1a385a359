import os

from badfix.models import Customer

if os.environ.get("NSP_BASE") == "django":
    from django.test import TestCase as Base
else:
    from nose_speedup import FastFixtureTestCase as Base


class FixtureRowsTest:
    def test_fixture_rows_are_there(self):
        self.assertEqual(Customer.objects.count(), 1)


class GoodFirstTests(FixtureRowsTest, Base):
    fixtures = ["good.json"]


class GoodSecondTests(FixtureRowsTest, Base):
    fixtures = ["good.json"]


class MalformedFixtureSecondTests(FixtureRowsTest, Base):
    fixtures = ["good.json", "malformed.json"]


class MalformedFixtureFirstTests(FixtureRowsTest, Base):
    fixtures = ["good.json", "malformed.json"]


class MissingFixtureSecondTests(FixtureRowsTest, Base):
    fixtures = ["users.json"]


class MissingFixtureFirstTests(FixtureRowsTest, Base):
    fixtures = ["users.json"]


class UnknownFieldFixtureSecondTests(FixtureRowsTest, Base):
    fixtures = ["unknown_field.json"]


class UnknownFieldFixtureFirstTests(FixtureRowsTest, Base):
    fixtures = ["unknown_field.json"]


class UnknownModelFixtureSecondTests(FixtureRowsTest, Base):
    fixtures = ["unknown_model.json"]


class UnknownModelFixtureFirstTests(FixtureRowsTest, Base):
    fixtures = ["unknown_model.json"]
