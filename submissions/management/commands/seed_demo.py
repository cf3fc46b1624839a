from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo: 136 member cities, the 2014 calls and demo accounts (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password; it runs only with DEBUG on."
            )
        from submissions.demo import seed as submissions_demo

        with transaction.atomic():
            data = submissions_demo.seed()
            for extend in _demo_extensions():
                extend(data)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(data['organizations'])} member cities, "
                f"{len(data['award_entries'])} entries to the 2014 Award. "
                f"Every demo account's password is '{submissions_demo.DEMO_PASSWORD}'."
            )
        )


def _demo_extensions():
    """Each app adds its part of the demo on top of the calls and entries."""
    from jury import demo as jury_demo
    from scoring import demo as scoring_demo

    return [jury_demo.seed, scoring_demo.seed]
