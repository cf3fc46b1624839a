"""`manage.py seed_demo`: the demo, each app adding its part on top of the one below it
(members, calls and entries; the juries; rounds, sheets and decisions). It lives in scoring, the
highest app of the domain, because it is the one that may name all three."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jury import demo as jury_demo
from scoring import demo as scoring_demo
from submissions.demo import seed as submissions_demo


class Command(BaseCommand):
    help = "Load the demo: 136 member cities, the 2014 calls and demo accounts (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password; it runs only with DEBUG on."
            )
        with transaction.atomic():
            data = submissions_demo.seed()
            jury_demo.seed(data)
            scoring_demo.seed(data)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(data['organizations'])} member cities, "
                f"{len(data['award_entries'])} entries to the 2014 Award. "
                f"Every demo account's password is '{submissions_demo.DEMO_PASSWORD}'."
            )
        )
