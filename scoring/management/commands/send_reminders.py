"""`python manage.py send_reminders`: run it from cron, daily or more often (see
scoring/reminders.py for the schedule); a reminder already sent is never sent again."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from scoring import reminders


class Command(BaseCommand):
    help = (
        "Email jurors with sheets left as the jury deadline nears, and city contacts with drafts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )
        parser.add_argument(
            "--now", help="Act as if it were this moment (ISO 8601, e.g. 2014-07-12T09:00+02:00)."
        )

    def handle(self, *args, dry_run: bool = False, now: str | None = None, **options):
        moment = self._moment(now)
        due = reminders.due_reminders(moment)
        sent_before = reminders.already_sent(due)
        fresh = [r for r in due if r.dedupe_key not in sent_before]
        for reminder in fresh:
            prefix = "would send" if dry_run else "sending"
            self.stdout.write(f"{prefix} {reminder.kind} to {reminder.to}: {reminder.subject()}")
        if dry_run:
            self.stdout.write(f"{len(fresh)} to send, {len(sent_before)} already sent (dry run).")
            return
        with transaction.atomic():
            sent = reminders.send(fresh)
        self.stdout.write(
            self.style.SUCCESS(f"{sent} reminders sent, {len(due) - sent} already sent before.")
        )

    def _moment(self, text: str | None) -> datetime:
        if not text:
            return timezone.now()
        moment = parse_datetime(text)
        if moment is None:
            raise CommandError(
                f"--now must be a date and time such as 2014-07-12T09:00, not {text!r}."
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
