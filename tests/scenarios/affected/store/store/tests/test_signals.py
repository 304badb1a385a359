from django.test import TestCase

from store.models import AuditEntry, Product


class AuditTests(TestCase):
    def test_a_new_product_is_audited(self):
        Product.objects.create(name="Tool", price=2)
        self.assertEqual(AuditEntry.objects.get().note, "saved Tool")
