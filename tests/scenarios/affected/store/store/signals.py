from django.db.models.signals import post_save
from django.dispatch import receiver

from store.models import AuditEntry, Product


@receiver(post_save, sender=Product)
def audit_product(sender, instance, created, **kwargs):
    if created:
        AuditEntry.objects.create(note=f"saved {instance.name}")
