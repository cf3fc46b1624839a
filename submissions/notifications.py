"""Outgoing email: queued in the outbox, delivered by a worker, retried with back-off.

`send(...)` writes the message (in the recipient's language) and asks for its delivery once
the transaction commits; no request ever waits on an SMTP server. `deliver(id)` is what the
worker runs: it claims the message with a status transition (a conditional UPDATE, atomic on
every database), talks to SMTP outside any transaction, and marks the message sent only once
the server accepted it. A task delivered twice finds the message claimed or sent and does
nothing; a worker killed mid-delivery leaves its claim, which is taken back when its lease
ends (deliver_due, run by the scheduler), so nothing is lost and nothing is sent twice unless
the server accepted it in the very instant the worker died.
"""

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from .models import OutboxMessage, User
from .queue import enqueue

logger = logging.getLogger("metropolis.mail")

Text = str | Callable[[], str]  # a plain string, a lazy translation, or a function of the language
LANGUAGES = {"en", "fr", "es"}


def language_of(user: User | None, to: str = "") -> str:
    """The language of a recipient's mail: their own choice, else English."""
    if user is None and to:
        user = User.objects.filter(email__iexact=to, is_active=True).order_by("-last_login").first()
    language = (getattr(user, "language", "") or "").lower()
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def _render(text: Text) -> str:
    return str(text() if callable(text) else text)


def send(
    kind: str,
    to: str,
    subject: Text,
    body: Text,
    *,
    dedupe_key: str = "",
    user: User | None = None,
    language: str | None = None,
) -> bool:
    """Queue one email, delivered after the current transaction commits; False if there is no
    address or the dedupe_key was already used. Subject and body may be lazy translations or
    functions: they are rendered here in the recipient's language."""
    if not to:
        return False
    language = language or language_of(user, to)
    with translation.override(language):
        subject_text, body_text = _render(subject), _render(body)
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                kind=kind,
                to=to,
                subject=subject_text[:250],
                body=body_text,
                dedupe_key=dedupe_key,
                language=language,
            )
    except IntegrityError:
        return False
    enqueue(deliver_mail, message.pk)
    return True


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- delivery (the worker) ---------------------------------------------------------------------


def _claimable(now) -> Q:
    lease_ended = now - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    return Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=lease_ended
    )


def claim(message_id: int) -> OutboxMessage | None:
    """Take the message for this attempt, or None if it is sent, failed, not due yet, or
    being delivered by another worker right now."""
    now = timezone.now()
    token = uuid.uuid4().hex
    taken = OutboxMessage.objects.filter(_claimable(now), pk=message_id).update(
        status=OutboxMessage.Status.SENDING,
        claim=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    return OutboxMessage.objects.get(pk=message_id) if taken else None


def retry_delay(attempts: int) -> float:
    """Exponential back-off: the base, twice it, four times it, up to the cap."""
    return min(
        settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0),
        settings.OUTBOX_RETRY_MAX_SECONDS,
    )


def deliver(message_id: int) -> str:
    """Try to send one message: 'sent', 'retry', 'failed' or 'skipped' (not ours to send)."""
    message = claim(message_id)
    if message is None:
        return "skipped"
    mail = EmailMessage(
        message.subject,
        message.body,
        settings.DEFAULT_FROM_EMAIL,
        [message.to],
        headers={"Message-ID": message.message_id, "Content-Language": message.language},
    )
    try:
        mail.send(fail_silently=False)
    except Exception as error:
        return _failed(message, error)
    # Only our own claim may mark it: a worker whose lease ended must not overwrite a retry.
    OutboxMessage.objects.filter(pk=message.pk, claim=message.claim).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error="", claim=""
    )
    logger.info("mail sent", extra={"outbox": message.pk, "kind": message.kind})
    return "sent"


def _failed(message: OutboxMessage, error: Exception) -> str:
    final = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    text = f"{type(error).__name__}: {error}"[:2000]
    OutboxMessage.objects.filter(pk=message.pk, claim=message.claim).update(
        status=OutboxMessage.Status.FAILED if final else OutboxMessage.Status.PENDING,
        last_error=text,
        next_attempt_at=timezone.now() + timedelta(seconds=retry_delay(message.attempts)),
        claim="",
    )
    log = logger.error if final else logger.warning
    log(
        "mail not sent (attempt %s): %s",
        message.attempts,
        text,
        extra={"outbox": message.pk, "kind": message.kind},
    )
    return "failed" if final else "retry"


def due_messages(limit: int = 500) -> list[int]:
    """Messages whose next attempt is due, or whose worker's lease ended."""
    due = OutboxMessage.objects.filter(_claimable(timezone.now())).order_by("next_attempt_at")
    return list(due.values_list("pk", flat=True)[:limit])


# --- the worker's tasks (scheduled by name in CELERY_BEAT_SCHEDULE; see submissions/tasks.py) ---


@shared_task(name="submissions.tasks.deliver_mail")
def deliver_mail(message_id: int) -> str:
    return deliver(message_id)


@shared_task(name="submissions.tasks.deliver_due_mail")
def deliver_due_mail() -> int:
    """The scheduler's sweep: queue every message due for a (re)try, including those whose
    worker died holding them, or that were written while the broker was down."""
    due = due_messages()
    for message_id in due:
        if settings.TASKS_EMBEDDED:
            deliver(message_id)
        else:
            deliver_mail.delay(message_id)
    return len(due)
