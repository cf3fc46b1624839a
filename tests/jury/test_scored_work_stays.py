"""One rule of "the juror has scored" (scoring.rules.scored, asked through jury.work) for every
way an assignment ends: declining, unassigning and recusing never delete a sheet that holds work,
nor its audit trail (ScoreChange would go with it)."""

from decimal import Decimal

import pytest

from jury import services
from jury.models import Assignment
from scoring import sheets
from scoring.models import ScoreChange, ScoreSheet
from tests.factories import AssignmentFactory, CriterionFactory, SecretariatFactory
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    """A juror's draft holding a score, written through the sheet service (so audited)."""
    assignment = AssignmentFactory()
    CriterionFactory(round=assignment.round, key="impact")
    juror = assignment.juror
    sheet = sheets.open_sheet(juror, assignment.pk)
    sheet = sheets.save_draft(
        juror,
        sheet.pk,
        scores=[{"criterion": "impact", "value": Decimal(7)}],
        version=sheet.version,
    )
    return assignment, sheet


def _trail(sheet) -> list[str]:
    return list(ScoreChange.objects.filter(sheet_id=sheet.pk).values_list("field", flat=True))


def test_declining_keeps_a_scored_draft_and_its_audit_trail(draft):
    assignment, sheet = draft
    answer = client_for(assignment.juror).post(
        f"/api/v1/juror/assignments/{assignment.pk}/decline/",
        {"reason": "I must travel."},
        format="json",
    )
    assert answer.status_code == 200
    assert Assignment.objects.get(pk=assignment.pk).declined_at is not None
    assert ScoreSheet.objects.filter(pk=sheet.pk).exists()
    assert _trail(sheet) == ["status", "impact"]


def test_declining_an_untouched_sheet_removes_it(draft):
    assignment, _sheet = draft
    untouched = AssignmentFactory(round=assignment.round, juror=assignment.juror)
    opened = sheets.open_sheet(untouched.juror, untouched.pk)
    services.decline(untouched.juror, untouched, "Too many entries.")
    assert not ScoreSheet.objects.filter(pk=opened.pk).exists()


def test_unassigning_refuses_a_draft_whose_scores_were_cleared_but_whose_trail_remains(draft):
    assignment, sheet = draft
    juror = assignment.juror
    sheets.save_draft(juror, sheet.pk, scores=[], version=sheet.version)
    assert not ScoreSheet.objects.get(pk=sheet.pk).scores.exists()  # its trail still holds 7
    answer = client_for(SecretariatFactory()).delete(f"/api/v1/assignments/{assignment.pk}/")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "has_scores"
    assert _trail(sheet) == ["status", "impact", "impact"]


def test_a_conflict_declared_on_a_scored_draft_declines_it_and_keeps_the_trail(draft):
    assignment, sheet = draft
    answer = client_for(assignment.juror).post(
        "/api/v1/conflicts/",
        {"submission": assignment.submission_id, "reason": "I advised this city."},
        format="json",
    )
    assert answer.status_code == 201
    kept = Assignment.objects.get(pk=assignment.pk)
    assert kept.declined_at is not None and kept.decline_reason == "Conflict of interest."
    assert _trail(sheet) == ["status", "impact"]
