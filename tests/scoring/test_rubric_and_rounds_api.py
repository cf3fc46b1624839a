"""Rounds and rubrics: who reads and writes them, and the rubric's lock at the first submission."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jury.models import Round
from scoring.models import Criterion, Score, ScoreChange
from submissions.models import AuditEvent
from tests.factories import (
    CityContactFactory,
    EligibleSubmissionFactory,
    JurorFactory,
    SubmissionFactory,
)
from tests.support.clients import client_for
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db

RUBRIC = {
    "criteria": [
        {
            "key": "impact",
            "label": "Impact on quality of life",
            "description": "Measured change in residents' lives.",
            "weight": 0.4,
            "min": 1,
            "max": 10,
            "step": 0.5,
            "levels": [
                {"min": 1, "max": 3, "label": "weak"},
                {"min": 3.5, "max": 6, "label": "adequate"},
                {"min": 6.5, "max": 8, "label": "strong"},
                {"min": 8.5, "max": 10, "label": "exemplary"},
            ],
            "comment_required": True,
        },
        {"key": "innovation", "label": "Innovation", "weight": 0.6},
    ]
}


def rubric_url(panel, round_number=None) -> str:
    query = f"?round={round_number}" if round_number else ""
    return f"/api/v1/calls/{panel.call.slug}/rubric/{query}"


# --- rubric -------------------------------------------------------------------------------------


def test_staff_replace_the_rubric_and_the_jury_reads_it():
    panel = JudgedCall.panel()
    answer = client_for(panel.staff).put(rubric_url(panel, 1), RUBRIC, format="json")
    assert answer.status_code == 200, answer.json()
    for reader in (panel.staff, panel.chair, panel.jurors[2]):
        rubric = client_for(reader).get(rubric_url(panel)).json()
        assert rubric["round"] == 1 and rubric["locked"] is False
        assert [c["key"] for c in rubric["criteria"]] == ["impact", "innovation"]
    impact = rubric["criteria"][0]
    assert impact["weight"] == 0.4 and impact["step"] == 0.5 and impact["comment_required"]
    assert impact["levels"][1] == {"min": 3.5, "max": 6, "label": "adequate", "description": ""}
    assert rubric["criteria"][1]["min"] == 1 and rubric["criteria"][1]["max"] == 10
    assert AuditEvent.objects.filter(action="rubric.replaced").count() == 1


def test_only_staff_write_a_rubric_and_only_the_jury_and_staff_read_it():
    panel = JudgedCall.panel()
    assert client_for(panel.chair).put(rubric_url(panel), RUBRIC, format="json").status_code == 403
    assert client_for(JurorFactory()).get(rubric_url(panel)).status_code == 403
    city = CityContactFactory()
    assert client_for(city).get(rubric_url(panel)).status_code == 403
    assert client_for(panel.staff).get(rubric_url(panel, 7)).status_code == 404


def test_an_invalid_rubric_is_refused_whole():
    panel = JudgedCall.panel()
    bad = {
        "criteria": [RUBRIC["criteria"][0], {"key": "reach", "label": "Reach", "min": 5, "max": 2}]
    }
    answer = client_for(panel.staff).put(rubric_url(panel), bad, format="json")
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["reach"]
    assert sorted(Criterion.objects.filter(round=panel.round).values_list("key", flat=True)) == [
        "impact",
        "inclusion",
        "innovation",
    ]


def test_replacing_keeps_draft_scores_of_kept_criteria_and_audits_removed_ones():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.put(juror, panel.open(juror)).json()
    answer = client_for(panel.staff).put(rubric_url(panel), RUBRIC, format="json")
    assert answer.status_code == 200, answer.json()
    kept = Score.objects.filter(sheet_id=sheet["id"]).values_list("criterion__key", "value")
    assert dict(kept) == {"impact": 7.5, "innovation": 6}
    removed = ScoreChange.objects.filter(sheet_id=sheet["id"], new_value=None).exclude(
        field="status"
    )
    assert [c.field for c in removed] == ["inclusion"]
    assert all("removed from the rubric" in c.reason for c in removed)


def test_the_rubric_is_locked_once_the_first_sheet_of_the_round_is_submitted():
    panel = JudgedCall.panel()
    sheet = panel.submitted_sheet(panel.jurors[1])
    answer = client_for(panel.staff).put(rubric_url(panel), RUBRIC, format="json")
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert (
        error["code"] == "rubric_locked" and "first score sheet was submitted" in error["message"]
    )
    assert client_for(panel.staff).get(rubric_url(panel)).json()["locked"] is True
    # Reopening the sheet does not unlock the rubric: other sheets were scored against it.
    client_for(panel.chair).post(
        f"/api/v1/score-sheets/{sheet['id']}/reopen/", {"reason": "typo"}, format="json"
    )
    assert client_for(panel.staff).put(rubric_url(panel), RUBRIC, format="json").status_code == 409


# --- rounds -------------------------------------------------------------------------------------


def rounds_url(panel) -> str:
    return f"/api/v1/calls/{panel.call.slug}/rounds/"


def test_staff_add_the_next_round_with_a_jury_subset_and_its_entries():
    panel = JudgedCall.panel()
    shortlist = panel.entries[:2]
    deadline = panel.round.jury_deadline + timedelta(days=30)
    answer = client_for(panel.staff).post(
        rounds_url(panel),
        {
            "name": "Final round",
            "jury_deadline": deadline.isoformat(),
            "jurors": [panel.jurors[0].pk, panel.jurors[1].pk],
            "entries": [e.pk for e in shortlist],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    final = answer.json()
    assert final["number"] == 2 and final["name"] == "Final round"
    assert final["jurors"] == sorted([panel.jurors[0].pk, panel.jurors[1].pk])
    assert final["entries"] == sorted(e.pk for e in shortlist)
    # A juror lists only the rounds they sit on (issue 10, item 14): juror 2 is not on round 2.
    listed = client_for(panel.jurors[2]).get(rounds_url(panel)).json()
    assert [r["number"] for r in listed] == [1]
    assert listed[0]["entries"] is None and listed[0]["criteria_count"] == 3
    seated = client_for(panel.jurors[1]).get(rounds_url(panel)).json()
    assert [r["number"] for r in seated] == [1, 2]
    assert seated[1]["entries"] == []  # none assigned to them yet: the shortlist stays unknown
    # The rubric endpoint now defaults to the latest round, which has no criteria yet.
    assert client_for(panel.staff).get(rubric_url(panel)).json()["criteria"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"jurors": "stranger"}, "jurors"),
        ({"entries": "draft"}, "entries"),
        ({"jury_deadline": "early"}, "jury_deadline"),
    ],
)
def test_a_round_with_a_stranger_a_non_eligible_entry_or_an_early_deadline_is_refused(
    change, field
):
    panel = JudgedCall.panel()
    body = {"name": "Final", "jury_deadline": (panel.round.jury_deadline + timedelta(days=9))}
    if "jurors" in change:
        body["jurors"] = [JurorFactory().pk]
    if "entries" in change:
        body["entries"] = [SubmissionFactory(call=panel.call).pk]
    if "jury_deadline" in change:
        body["jury_deadline"] = panel.round.jury_deadline - timedelta(days=1)
    answer = client_for(panel.staff).post(rounds_url(panel), body, format="json")
    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]
    assert Round.objects.filter(call=panel.call).count() == 1


def test_round_one_takes_every_eligible_entry_and_refuses_a_list():
    panel = JudgedCall.panel()
    Round.objects.all().delete()
    answer = client_for(panel.staff).post(
        rounds_url(panel),
        {
            "name": "First",
            "jury_deadline": timezone.now() + timedelta(days=5),
            "entries": [EligibleSubmissionFactory(call=panel.call).pk],
        },
        format="json",
    )
    assert answer.status_code == 400 and "every eligible entry" in answer.json()["error"]["message"]


def test_only_staff_add_rounds_and_only_the_jury_and_staff_list_them():
    panel = JudgedCall.panel()
    body = {"name": "Final", "jury_deadline": panel.round.jury_deadline + timedelta(days=9)}
    assert client_for(panel.chair).post(rounds_url(panel), body, format="json").status_code == 403
    assert client_for(CityContactFactory()).get(rounds_url(panel)).status_code == 403


def test_staff_move_a_rounds_jury_deadline():
    panel = JudgedCall.panel(deadline_in=timedelta(days=-1))
    later = timezone.now() + timedelta(days=3)
    answer = client_for(panel.staff).patch(
        f"{rounds_url(panel)}1/", {"jury_deadline": later.isoformat()}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    juror = panel.jurors[1]
    assert panel.put(juror, panel.open(juror)).status_code == 200


def test_the_admin_edits_a_rubric_only_until_it_is_locked(client):
    panel = JudgedCall.panel()
    panel.staff.is_superuser = True
    panel.staff.save()
    client.force_login(panel.staff)
    url = f"/admin/jury/round/{panel.round.pk}/change/"
    assert 'name="criteria-0-key"' in client.get(url).content.decode()
    panel.submitted_sheet(panel.jurors[1])
    page = client.get(url).content.decode()
    assert 'name="criteria-0-key"' not in page and "impact" in page
