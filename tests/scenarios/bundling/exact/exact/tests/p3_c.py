"""setUpModule fails: the module's class, the last of its bundle, never runs."""

from exact.tests import CUSTOMERS, Base, log


def setUpModule():
    log("p3_c setUpModule")
    raise RuntimeError("setUpModule failed on purpose")


def tearDownModule():
    log("p3_c tearDownModule")


class C1_CustomerTests(Base):
    fixtures = CUSTOMERS

    def test_never_runs(self):
        raise AssertionError("a class of a failed module ran")
