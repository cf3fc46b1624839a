"""The worker's tasks for submissions. Each is idempotent: run twice, it does the work once.

They are acknowledged late (CELERY_TASK_ACKS_LATE), so a worker killed in the middle leaves
the message to another; the database row each one works on says whether there is work left.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core import management
from django.utils import timezone

from config.tasks import enqueue

from . import notifications

logger = logging.getLogger("metropolis.tasks")


@shared_task(name="submissions.tasks.deliver_mail")
def deliver_mail(message_id: int) -> str:
    return notifications.deliver(message_id)


@shared_task(name="submissions.tasks.deliver_due_mail")
def deliver_due_mail() -> int:
    """The scheduler's sweep: queue every message due for a (re)try, including those whose
    worker died holding them, or that were written while the broker was down."""
    due = notifications.due_messages()
    for message_id in due:
        if settings.TASKS_EMBEDDED:
            notifications.deliver(message_id)
        else:
            deliver_mail.delay(message_id)
    return len(due)


@shared_task(name="submissions.tasks.verify_upload")
def verify_upload(attachment_id: int) -> str:
    from .verification import verify

    return verify(attachment_id)


@shared_task(name="submissions.tasks.resume_verifications")
def resume_verifications() -> int:
    """Direct uploads still being checked long after they were handed over (their task was lost
    with a broker that went down, or with a worker that was killed) are handed over again."""
    from .models import Attachment

    cutoff = timezone.now() - timedelta(seconds=settings.VERIFY_RETRY_AFTER_SECONDS)
    stuck = list(
        Attachment.objects.filter(
            state=Attachment.State.VERIFYING, verification_requested_at__lt=cutoff
        ).values_list("pk", flat=True)[:200]
    )
    for attachment_id in stuck:
        Attachment.objects.filter(pk=attachment_id).update(verification_requested_at=timezone.now())
        enqueue(verify_upload, attachment_id)
    return len(stuck)


@shared_task(name="submissions.tasks.cleanup_uploads")
def cleanup_uploads(older_than_hours: float = 24.0) -> int:
    from .attachments import purge_abandoned_uploads

    removed = purge_abandoned_uploads(timezone.now() - timedelta(hours=older_than_hours))
    if removed:
        logger.info("removed %s abandoned upload(s)", len(removed))
    return len(removed)


@shared_task(name="submissions.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    management.call_command("clearsessions")
