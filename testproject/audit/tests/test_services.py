"""Writing audit entries: they land on ``archive`` without the caller
naming it."""

import datetime

from django.test import TestCase

from audit.models import AuditEntry
from audit.services import history_of, record
from orders.models import Customer

NEW_YEAR = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)


class RecordAuditTests(TestCase):
    """A plain ``TestCase`` on both aliases whose data comes from
    ``setUpTestData`` (one row on each database) instead of fixtures."""

    databases = {"default", "archive"}

    @classmethod
    def setUpTestData(cls):
        cls.customer = Customer.objects.create(
            email="ken@example.com", first_name="Ken", last_name="Thompson"
        )
        cls.signup = record(
            "create", "ken@example.com", "Signed up", instance=cls.customer, when=NEW_YEAR
        )

    def test_entry_describes_instance(self):
        self.assertEqual(self.signup.object_type, "orders.customer")
        self.assertEqual(self.signup.object_id, str(self.customer.pk))
        self.assertEqual(self.signup._state.db, "archive")

    def test_history_of_instance(self):
        next_day = NEW_YEAR + datetime.timedelta(days=1)
        record("update", "admin", "Made VIP", instance=self.customer, when=next_day)
        self.assertEqual([e.message for e in history_of(self.customer)], ["Signed up", "Made VIP"])

    def test_entry_without_instance_has_blank_target(self):
        entry = record("login", "ken@example.com", "Signed in")
        self.assertEqual((entry.object_type, entry.object_id), ("", ""))
        self.assertIsNotNone(entry.created_at.tzinfo)

    def test_unknown_action_is_rejected(self):
        with self.assertRaisesMessage(ValueError, "unknown audit action 'archive'"):
            record("archive", "admin", "Nope")
        self.assertEqual(AuditEntry.objects.count(), 1)
