"""Audit entries live on the ``archive`` database (see
``testproject.routers``), so they name the object they describe by its
``app_label.model`` and primary key instead of a foreign key."""

from django.db import models


class AuditEntryQuerySet(models.QuerySet):
    def for_instance(self, instance):
        return self.filter(object_type=object_type_of(instance), object_id=str(instance.pk))

    def by_actor(self, actor):
        return self.filter(actor=actor)

    def newest_first(self):
        return self.order_by("-created_at", "-pk")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        LOGIN = "login", "Signed in"

    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    actor = models.CharField(max_length=150)
    message = models.CharField(max_length=255)
    created_at = models.DateTimeField()

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return self.summary()

    def summary(self):
        """One log line, e.g. ``2024-01-05 09:00 ada@example.com Created orders.order#501``."""
        target = f" {self.object_type}#{self.object_id}" if self.object_type else ""
        stamp = self.created_at.strftime("%Y-%m-%d %H:%M")
        return f"{stamp} {self.actor} {self.get_action_display()}{target}"


def object_type_of(instance):
    return instance._meta.label_lower
