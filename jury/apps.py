from django.apps import AppConfig


class JuryConfig(AppConfig):
    name = "jury"
    verbose_name = "Juries, conflicts and assignments"

    def ready(self) -> None:
        # Jury sits above submissions: it tells it which entries a juror sees, and which calls'
        # verdicts a chair reads.
        from submissions import visibility
        from submissions.models import Role

        from . import rules, selectors

        visibility.register_entries(Role.JUROR, selectors.submissions_for_juror)
        visibility.register_verdict_readers(rules.chaired_calls)
