import os
import signal
import time
from pathlib import Path

from django.test import TestCase

from nose_speedup import FastFixtureTestCase
from work.models import Item, Kind
from work.tests import leave_marker, module_fixture


def setUpModule():
    module_fixture("setUp", __name__)


def tearDownModule():
    module_fixture("tearDown", __name__)


class ItemCountTests(FastFixtureTestCase):
    """NSP_SLEEP=1: test_count takes at least 0.3 s."""

    fixtures = ["items.json"]

    def test_count(self):
        if os.environ.get("NSP_SLEEP"):
            time.sleep(0.3)
        self.assertEqual(Item.objects.count(), 2)

    def test_kinds(self):
        self.assertEqual(Kind.objects.count(), 2)


class MoreCountTests(FastFixtureTestCase):
    """NSP_SLEEP=1: its setUpClass takes at least 0.2 s."""

    fixtures = ["more.json"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if os.environ.get("NSP_SLEEP"):
            time.sleep(0.2)

    def test_count(self):
        self.assertEqual(Item.objects.count(), 1)


class KillerTests(TestCase):
    """NSP_KILL=1: the second test kills its worker process (SIGKILL);
    NSP_KILL=exit: it leaves through ``os._exit(3)``."""

    def test_a_before(self):
        self.assertEqual(Kind.objects.count(), 2)

    def test_b_kills(self):
        if os.environ.get("NSP_KILL"):
            leave_marker("killer")
            if os.environ["NSP_KILL"] == "exit":
                os._exit(3)
            os.kill(os.getpid(), signal.SIGKILL)

    def test_c_after(self):
        self.assertEqual(Item.objects.count(), 0)


class BlockingTests(TestCase):
    """NSP_BLOCK=1: blocks until the run is interrupted."""

    def test_blocks(self):
        if os.environ.get("NSP_BLOCK"):
            leave_marker("blocking")
            time.sleep(120)


class FailFastFirstTests(TestCase):
    """NSP_FAILFAST=1: fails at once, once SlowTests runs in another worker."""

    def test_fails_early(self):
        if os.environ.get("NSP_FAILFAST"):
            directory = Path(os.environ["NSP_MARKERS"])
            for _ in range(600):
                if (directory / "slow").exists():
                    break
                time.sleep(0.05)
            self.fail("failing early on purpose")


class SlowTests(TestCase):
    """NSP_FAILFAST=1: every test waits until FailFastFirstTests failed."""

    def wait_for_the_failure(self):
        if os.environ.get("NSP_FAILFAST"):
            leave_marker("slow")
            time.sleep(0.5)

    def test_00(self):
        self.wait_for_the_failure()

    def test_01(self):
        self.wait_for_the_failure()

    def test_02(self):
        self.wait_for_the_failure()

    def test_03(self):
        self.wait_for_the_failure()

    def test_04(self):
        self.wait_for_the_failure()

    def test_05(self):
        self.wait_for_the_failure()

    def test_06(self):
        self.wait_for_the_failure()

    def test_07(self):
        self.wait_for_the_failure()

    def test_08(self):
        self.wait_for_the_failure()

    def test_09(self):
        self.wait_for_the_failure()

    def test_10(self):
        self.wait_for_the_failure()

    def test_11(self):
        self.wait_for_the_failure()

    def test_12(self):
        self.wait_for_the_failure()

    def test_13(self):
        self.wait_for_the_failure()

    def test_14(self):
        self.wait_for_the_failure()

    def test_15(self):
        self.wait_for_the_failure()

    def test_16(self):
        self.wait_for_the_failure()

    def test_17(self):
        self.wait_for_the_failure()

    def test_18(self):
        self.wait_for_the_failure()

    def test_19(self):
        self.wait_for_the_failure()

    def test_20(self):
        self.wait_for_the_failure()

    def test_21(self):
        self.wait_for_the_failure()

    def test_22(self):
        self.wait_for_the_failure()

    def test_23(self):
        self.wait_for_the_failure()

    def test_24(self):
        self.wait_for_the_failure()

    def test_25(self):
        self.wait_for_the_failure()

    def test_26(self):
        self.wait_for_the_failure()

    def test_27(self):
        self.wait_for_the_failure()

    def test_28(self):
        self.wait_for_the_failure()

    def test_29(self):
        self.wait_for_the_failure()

    def test_30(self):
        self.wait_for_the_failure()

    def test_31(self):
        self.wait_for_the_failure()

    def test_32(self):
        self.wait_for_the_failure()

    def test_33(self):
        self.wait_for_the_failure()

    def test_34(self):
        self.wait_for_the_failure()

    def test_35(self):
        self.wait_for_the_failure()

    def test_36(self):
        self.wait_for_the_failure()

    def test_37(self):
        self.wait_for_the_failure()

    def test_38(self):
        self.wait_for_the_failure()

    def test_39(self):
        self.wait_for_the_failure()
