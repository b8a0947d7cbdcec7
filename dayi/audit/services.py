from django.db import models

from .models import AuditEntry


def record(*, actor, action: str, target: models.Model, changes: dict | None = None, reason: str = "") -> AuditEntry:
    """Add one entry to the audit trail; call it inside the transaction of the change it records."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_label=str(actor) if authenticated else "",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:200],
        changes=changes or {},
        reason=reason,
    )


def changed_fields(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value differs, as strings for the JSON log."""
    return {
        name: [_plain(before.get(name)), _plain(value)] for name, value in after.items() if before.get(name) != value
    }


def _plain(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def trail_for(target: models.Model):
    return AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
