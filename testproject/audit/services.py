"""Writing the audit log. Entries go to ``archive`` through the router, so
callers never name the alias."""

from django.utils import timezone

from audit.models import AuditEntry, object_type_of


def record(action, actor, message, instance=None, when=None):
    """Append an entry about ``instance`` (optional) and return it."""
    if action not in AuditEntry.Action.values:
        raise ValueError(
            f"unknown audit action {action!r}; use one of {', '.join(AuditEntry.Action.values)}"
        )
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        message=message,
        object_type=object_type_of(instance) if instance is not None else "",
        object_id=str(instance.pk) if instance is not None else "",
        created_at=when or timezone.now(),
    )


def history_of(instance):
    """Entries about ``instance``, oldest first."""
    return AuditEntry.objects.for_instance(instance).order_by("created_at", "pk")
