"""Outgoing email, each message recorded in the outbox."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import OutboxMessage


def send(kind: str, to: str, subject: str, body: str, *, dedupe_key: str = "") -> bool:
    """Send one email after the current transaction commits; False if already sent (dedupe_key)."""
    if not to:
        return False
    try:
        with transaction.atomic():
            OutboxMessage.objects.create(
                kind=kind, to=to, subject=subject, body=body, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return False
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=True)
    )
    return True


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
