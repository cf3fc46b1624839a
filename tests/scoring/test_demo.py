"""The demo judging of the 2014 Award: two rounds, scored round-1 sheets with spread."""

from collections import defaultdict
from statistics import mean

import pytest
from django.core.management import call_command

from jury.models import Assignment, Round
from scoring.models import Score, ScoreChange, ScoreSheet
from scoring.selectors import rubric
from scoring.validation import validate_scores

pytestmark = pytest.mark.django_db


def seed(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    return Round.objects.filter(call__slug="metropolis-award-2014").order_by("number")


def scores_by_sheet() -> dict[tuple[int, str], dict[str, float]]:
    sheets: dict = defaultdict(dict)
    rows = Score.objects.values_list(
        "sheet__assignment__submission_id",
        "sheet__assignment__juror__username",
        "criterion__key",
        "value",
    )
    for entry, juror, key, value in rows:
        sheets[(entry, juror)][key] = float(value)
    return dict(sheets)


def test_the_award_has_two_rounds_with_rubrics_and_only_round_one_is_scored(settings):
    first, final = seed(settings)
    assert first.criteria.count() == 6 and final.criteria.count() == 3
    assert final.jury_deadline > first.jury_deadline
    assert not final.entries.exists() and not final.assignments.exists()
    assert final.jurors.count() == 5 and final.rubric_locked_at is None
    assert first.rubric_locked_at is not None
    assignments = Assignment.objects.filter(round=first, declined_at__isnull=True)
    assert assignments.count() == 120
    assert ScoreSheet.objects.filter(status="submitted").count() == 120
    criteria = rubric(first)
    for sheet in ScoreSheet.objects.filter(assignment__round=first).prefetch_related(
        "scores__criterion"
    ):
        lines = [
            {"criterion": s.criterion.key, "value": s.value, "comment": s.comment}
            for s in sheet.scores.all()
        ]
        assert validate_scores(criteria, lines, complete=True) == {}
        assert sheet.submitted_at <= first.jury_deadline and sheet.comment
    assert ScoreChange.objects.filter(field="status", new_value="submitted").count() == 120


def test_harsh_and_lenient_jurors_show_in_the_scores(settings):
    seed(settings)
    totals = {key: mean(values.values()) for key, values in scores_by_sheet().items()}
    by_entry: dict = defaultdict(list)
    for (entry, _), total in totals.items():
        by_entry[entry].append(total)
    # A juror's severity: how far their sheets sit from the mean of the entry's sheets.
    deviation: dict = defaultdict(list)
    for (entry, juror), total in totals.items():
        deviation[juror].append(total - mean(by_entry[entry]))
    severity = {juror: mean(values) for juror, values in deviation.items()}
    assert max(severity, key=severity.get) in {"juror4", "juror7"}
    assert severity["juror2"] < 0 and severity["juror6"] < 0
    assert severity["juror4"] > 0 and severity["juror7"] > 0
    assert severity["juror4"] - severity["juror2"] > 1.5
    spread = max(totals.values()) - min(totals.values())
    assert spread > 4


def test_seeding_twice_doubles_nothing_and_the_scores_are_the_same_every_time(settings):
    seed(settings)
    before = scores_by_sheet()
    changes = ScoreChange.objects.count()
    seed(settings)
    assert scores_by_sheet() == before and ScoreChange.objects.count() == changes
    assert Round.objects.filter(call__slug="metropolis-award-2014").count() == 2
    ScoreSheet.objects.all().delete()
    seed(settings)
    assert scores_by_sheet() == before
