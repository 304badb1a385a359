"""Classes with the same fixtures and different class-level settings
overrides: what loaddata produces differs (naive datetimes read in
TIME_ZONE, FIXTURE_DIRS holding different files of one name)."""

import datetime
from pathlib import Path

from django.test import modify_settings, override_settings

from exact.models import Event, Place
from exact.tests import EVENTS, Base

NORTH = str(Path(__file__).resolve().parents[1] / "places_north")
SOUTH = str(Path(__file__).resolve().parents[1] / "places_south")
UTC = datetime.timezone.utc


@override_settings(TIME_ZONE="UTC")
class A_UtcTests(Base):
    fixtures = EVENTS

    def test_naive_noon_read_in_utc(self):
        self.assertEqual(Event.objects.get().when, datetime.datetime(2026, 6, 1, 12, tzinfo=UTC))


@override_settings(TIME_ZONE="Asia/Tokyo")
class B_TokyoTests(Base):
    fixtures = EVENTS

    def test_naive_noon_read_in_tokyo(self):
        self.assertEqual(Event.objects.get().when, datetime.datetime(2026, 6, 1, 3, tzinfo=UTC))


@override_settings(TIME_ZONE="UTC")
class C_UtcAgainTests(Base):
    fixtures = EVENTS

    def test_naive_noon_read_in_utc(self):
        self.assertEqual(Event.objects.get().when, datetime.datetime(2026, 6, 1, 12, tzinfo=UTC))


@override_settings(FIXTURE_DIRS=[NORTH])
class D_NorthTests(Base):
    fixtures = ["places.json"]

    def test_north_places(self):
        self.assertEqual(list(Place.objects.values_list("name", flat=True)), ["oslo"])


@override_settings(FIXTURE_DIRS=[SOUTH])
class E_SouthTests(Base):
    fixtures = ["places.json"]

    def test_south_places(self):
        self.assertEqual(list(Place.objects.values_list("name", flat=True)), ["cape town"])


@modify_settings(FIXTURE_DIRS={"append": SOUTH})
class F_ModifiedSouthTests(Base):
    fixtures = ["places.json"]

    def test_south_places(self):
        self.assertEqual(list(Place.objects.values_list("name", flat=True)), ["cape town"])


@modify_settings(FIXTURE_DIRS={"append": NORTH})
class G_ModifiedNorthTests(Base):
    fixtures = ["places.json"]

    def test_north_places(self):
        self.assertEqual(list(Place.objects.values_list("name", flat=True)), ["oslo"])
