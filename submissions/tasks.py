"""The worker's tasks for submissions. Each is idempotent: run twice, it does the work once.

Mail delivery lives with the outbox (notifications.py) and the upload check with the check
(verification.py); this module gathers them for Celery's autodiscovery and beat's schedule, and
holds the clean-up tasks. They are acknowledged late (CELERY_TASK_ACKS_LATE), so a worker killed
in the middle leaves the message to another; the database row each one works on says whether
there is work left.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.core import management
from django.utils import timezone

from .attachments import purge_abandoned_uploads
from .notifications import deliver_due_mail, deliver_mail
from .verification import resume_verifications, verify_upload

__all__ = [
    "cleanup_uploads",
    "clear_expired_sessions",
    "deliver_due_mail",
    "deliver_mail",
    "resume_verifications",
    "verify_upload",
]

logger = logging.getLogger("metropolis.tasks")


@shared_task(name="submissions.tasks.cleanup_uploads")
def cleanup_uploads(older_than_hours: float = 24.0) -> int:
    removed = purge_abandoned_uploads(timezone.now() - timedelta(hours=older_than_hours))
    if removed:
        logger.info("removed %s abandoned upload(s)", len(removed))
    return len(removed)


@shared_task(name="submissions.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    management.call_command("clearsessions")
