from django.db.models import Model

from .models import AuditEvent, Call


def record(actor, action: str, target: Model | None = None, *, call: Call | None = None, **data):
    """Write one audit event; called inside the transaction of the change it records."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        call=call,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data,
    )
