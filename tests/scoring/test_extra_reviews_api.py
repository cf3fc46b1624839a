"""POST /api/v1/calls/{slug}/rounds/{number}/extra-reviews/: preview, then apply."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jury.models import Assignment
from submissions.models import AuditEvent
from tests.support.clients import client_for
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def cut():
    return JudgedCall.at_the_cut()


def post(world, user, body, number=1):
    url = f"/api/v1/calls/{world.call.slug}/rounds/{number}/extra-reviews/"
    return client_for(user).post(url, body, format="json")


def test_a_preview_then_the_same_plan_applied(cut):
    preview = post(cut, cut.staff, {"k": 3, "top_n": 3})
    assert preview.status_code == 200, preview.json()
    plan = preview.json()
    assert plan["dry_run"] and plan["k"] == 3 and plan["top_n"] == 3
    assert len(plan["new_assignments"]) == 3 and Assignment.objects.count() == 16
    at_cut = {entry["submission"] for entry in plan["entries"]}
    assert {a["submission"] for a in plan["new_assignments"]} <= at_cut
    assert all(row["after"] > row["before"] for row in plan["loads"])
    applied = post(cut, cut.staff, {"k": 3, "top_n": 3, "dry_run": False, "plan": plan["plan_id"]})
    assert applied.status_code == 201 and not applied.json()["dry_run"]
    assert applied.json()["new_assignments"] == plan["new_assignments"]
    assert Assignment.objects.count() == 19
    again = post(cut, cut.staff, {"k": 3, "top_n": 3, "dry_run": False})
    assert again.status_code == 201 and again.json()["new_assignments"] == []
    assert Assignment.objects.count() == 19
    assert AuditEvent.objects.filter(action="assignment.extra_reviews").count() == 1


def test_the_chair_may_ask_a_juror_may_not(cut):
    assert post(cut, cut.chair, {"k": 2, "top_n": 3}).status_code == 200
    refused = post(cut, cut.jurors[2], {"k": 2, "top_n": 3})
    assert refused.status_code == 403
    assert "secretariat or the jury's chair" in refused.json()["error"]["message"]


@pytest.mark.parametrize(
    ("k", "words"),
    [
        (-1, "whole number of extra reviews"),
        (0, "whole number of extra reviews"),
        ("six", "valid integer"),
        (500, "At most"),
    ],
)
def test_a_bad_k_is_a_clear_400(cut, k, words):
    answer = post(cut, cut.staff, {"k": k, "top_n": 3})
    assert answer.status_code == 400
    assert words in str(answer.json()["error"])


def test_a_closed_or_unknown_round_is_refused_in_words(cut):
    cut.round.jury_deadline = timezone.now() - timedelta(hours=1)
    cut.round.save()
    closed = post(cut, cut.staff, {"k": 2, "top_n": 3})
    assert closed.status_code == 409 and "jury deadline" in closed.json()["error"]["message"]
    assert post(cut, cut.staff, {"k": 2}, number=9).status_code == 404


def test_the_endpoint_is_in_the_openapi_schema(cut):
    schema = client_for(cut.staff).get("/api/v1/schema/").content.decode()
    assert "/api/v1/calls/{slug}/rounds/{number}/extra-reviews/" in schema
    assert "plan_id" in schema


def test_a_blind_call_stays_blind_in_the_plan_and_the_results():
    cut = JudgedCall.at_the_cut(blind=True)
    entry = cut.entries[3]
    city = entry.organization.name
    type(entry).objects.filter(pk=entry.pk).update(title=f"Trams of {city}")
    plan = post(cut, cut.chair, {"k": 6, "top_n": 3}).json()
    results = client_for(cut.chair).get(f"/api/v1/calls/{cut.call.slug}/results/?top_n=3")
    for body in (str(plan), results.content.decode()):
        assert city not in body
    chair_titles = [row["title"] for row in results.json()["ranking"]]
    assert any(title.startswith("Trams of") for title in chair_titles)  # redacted, not dropped
    staff = client_for(cut.staff).get(f"/api/v1/calls/{cut.call.slug}/results/?top_n=3").json()
    assert f"Trams of {city}" in [row["title"] for row in staff["ranking"]]  # staff unblinds
