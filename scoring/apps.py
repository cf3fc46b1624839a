from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "Rounds, rubrics and scores"

    def ready(self) -> None:
        # Scoring sits above jury and submissions: it tells them what only it knows, once.
        from jury import work
        from submissions import visibility
        from submissions.models import Role

        from . import rules, selectors, sheets

        work.provide(
            work.WorkRules(
                submitted=rules.submitted_assignments,
                scored=rules.scored_assignments,
                discard=sheets.discard_untouched,
            )
        )
        visibility.register_entries(Role.BOARD, selectors.submissions_for_board)
