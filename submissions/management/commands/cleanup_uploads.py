from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from submissions.attachments import purge_abandoned_uploads
from submissions.errors import StorageUnavailable


class Command(BaseCommand):
    help = (
        "Remove direct uploads that were started and never completed (fit for cron): the "
        "row, the stored object and any unfinished multipart upload."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=float, default=24.0)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, older_than_hours, dry_run, **options):
        cutoff = timezone.now() - timedelta(hours=older_than_hours)
        try:
            removed = purge_abandoned_uploads(cutoff, dry_run=dry_run)
        except StorageUnavailable as error:
            raise CommandError(
                f"{error.message} Nothing was removed that the store kept; "
                "the next run tries again."
            ) from None
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(f"{verb} {len(removed)} abandoned upload(s).")
        for name in removed:
            self.stdout.write(f"  {name}")
