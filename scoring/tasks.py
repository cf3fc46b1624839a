"""The scheduler's reminders: idempotent, since each reminder's dedupe key is sent at most once."""

from celery import shared_task
from django.db import transaction

from . import reminders


@shared_task(name="scoring.tasks.send_reminders")
def send_reminders() -> int:
    due = reminders.due_reminders()
    sent_before = reminders.already_sent(due)
    with transaction.atomic():
        return reminders.send([r for r in due if r.dedupe_key not in sent_before])
