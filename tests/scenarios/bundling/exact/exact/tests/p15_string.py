"""fixtures as a string, a common slip."""

from exact.tests import Base


class A_StringFixturesTests(Base):
    fixtures = "customers"

    def test_never_runs(self):
        raise AssertionError("a class with fixtures as a string ran")


class B_StringFixturesTests(Base):
    fixtures = "customers"

    def test_never_runs(self):
        raise AssertionError("a class with fixtures as a string ran")
