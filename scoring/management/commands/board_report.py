from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from jury.selectors import round_of
from scoring.results import DEFAULT_METHOD, board_report
from scoring.selectors import latest_round_with_results
from submissions.errors import DomainError
from submissions.models import Call, User


class Command(BaseCommand):
    help = "Write the Board report of a call's round as one self-contained HTML file."

    def add_arguments(self, parser):
        parser.add_argument("--call", required=True, help="the call's slug")
        parser.add_argument(
            "--round",
            type=int,
            default=None,
            help="round number (default: the latest round with submitted score sheets)",
        )
        parser.add_argument("--method", default=DEFAULT_METHOD)
        parser.add_argument("--out", default="report.html")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help=f"the report's language (default: {settings.LANGUAGE_CODE})",
        )

    def handle(self, *args, call, round, method, out, language, **options):
        try:
            found = Call.objects.get(slug=call)
        except Call.DoesNotExist:
            raise CommandError(f"No call with the slug '{call}'.") from None
        # The command runs with the secretariat's view: every entry, no conflict filter.
        reader = User(username="board_report", role="secretariat", is_superuser=True)
        try:
            chosen = round_of(found, round) if round else latest_round_with_results(found)
            if chosen is None:
                raise CommandError(
                    f"No round of '{call}' has a submitted score sheet yet: there is no "
                    "report to write."
                )
            with translation.override(language):
                document = board_report(reader, found, chosen, method)
        except DomainError as error:
            raise CommandError(error.message) from None
        path = Path(out)
        path.write_text(document, encoding="utf-8")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path}: {chosen.name} (round {chosen.number}), "
                f"{path.stat().st_size / 1024 / 1024:.1f} MB."
            )
        )
