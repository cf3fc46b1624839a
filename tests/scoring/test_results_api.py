"""Results, exports, release, shortlist, decisions and the report, through the API."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jury.models import Assignment, Conflict, Round
from scoring.models import Criterion, Decision, Score, ScoreSheet
from submissions.models import AuditEvent
from tests.factories import (
    BoardFactory,
    CallFactory,
    CityContactFactory,
    EligibleSubmissionFactory,
    JurorProfileFactory,
    JuryMemberFactory,
    OrganizationFactory,
    RoundFactory,
    SecretariatFactory,
)
from tests.support.clients import client_for
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db


class Scored:
    """A round where 4 jurors each scored all 5 entries on two criteria (complete design)."""

    def __init__(self):
        self.call = CallFactory(
            opens_at=timezone.now() - timedelta(days=60),
            deadline=timezone.now() - timedelta(days=30),
        )
        self.round = RoundFactory(call=self.call)
        impact = Criterion.objects.create(
            round=self.round, key="impact", label="Impact", weight=2, min_value=1, max_value=10
        )
        reach = Criterion.objects.create(
            round=self.round,
            key="reach",
            label="Reach",
            weight=1,
            min_value=1,
            max_value=10,
            order=1,
        )
        self.entries = [
            EligibleSubmissionFactory(call=self.call, organization=OrganizationFactory())
            for _ in range(5)
        ]
        self.jurors = [
            JuryMemberFactory(
                call=self.call, juror=JurorProfileFactory().user, is_chair=(i == 0)
            ).juror
            for i in range(4)
        ]
        self.chair = self.jurors[0]
        self.staff = SecretariatFactory()
        for j, juror in enumerate(self.jurors):
            for i, entry in enumerate(self.entries):
                assignment = Assignment.objects.create(
                    round=self.round, submission=entry, juror=juror
                )
                sheet = ScoreSheet.objects.create(assignment=assignment, status="submitted")
                quality = 9 - 1.5 * i  # entry 0 is the best
                Score.objects.create(
                    sheet=sheet, criterion=impact, value=max(1, min(10, round(quality - 0.5 * j)))
                )
                Score.objects.create(
                    sheet=sheet, criterion=reach, value=max(1, min(10, round(quality + (j % 2))))
                )


@pytest.fixture
def scored():
    return JudgedCall.scored()


def results(client, call, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.get(f"/api/v1/calls/{call.slug}/results/?{query}")


def test_results_give_every_method_with_agreement_and_intervals(scored):
    staff = client_for(scored.staff)
    for method in ["mean", "median", "trimmed", "zscore", "fixed_effects", "borda"]:
        answer = results(staff, scored.call, method=method)
        assert answer.status_code == 200, answer.json()
        data = answer.json()
        assert data["method"] == method and data["round"] == 1
        assert data["ranking"][0]["submission"] == scored.entries[0].pk
        first = data["ranking"][0]
        assert first["rank"] == 1 and first["n_sheets"] == 4
        assert first["score_ci"][0] <= first["score"] <= first["score_ci"][1]
        assert first["rank_ci"][0] <= 1 <= first["rank_ci"][1]
        assert set(data["agreement"]["icc"]) == {"ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"}
        assert data["agreement"]["icc"]["ICC3"] is not None
        assert data["agreement"]["kendall_w"] > 0.8
        assert data["agreement"]["n_jurors"] == 4 and data["agreement"]["n_submissions"] == 5
        assert len(data["jurors"]) == 4 and {"severity", "mean", "n_sheets"} <= set(
            data["jurors"][0]
        )


def test_an_unknown_method_is_a_clear_400(scored):
    answer = results(client_for(scored.staff), scored.call, method="magic")
    assert answer.status_code == 400 and "fixed_effects" in answer.json()["error"]["message"]


def test_results_follow_the_current_sheets_without_recalculation(scored):
    staff = client_for(scored.staff)
    before = results(staff, scored.call, method="mean").json()["ranking"][0]["score"]
    Score.objects.filter(sheet__assignment__submission=scored.entries[0]).update(value=1)
    after = results(staff, scored.call, method="mean").json()["ranking"]
    assert after[-1]["submission"] == scored.entries[0].pk and after[-1]["score"] < before


def test_who_sees_results(scored):
    call = scored.call
    assert results(client_for(scored.chair), call).status_code == 200
    assert results(client_for(scored.jurors[1]), call).status_code == 403
    assert results(client_for(CityContactFactory()), call).status_code == 403
    board = client_for(BoardFactory())
    before = results(board, call)
    assert before.status_code == 403 and "not released" in before.json()["error"]["message"]
    assert (
        client_for(scored.chair).post(f"/api/v1/calls/{call.slug}/results/release/").status_code
        == 403
    )
    released = client_for(scored.staff).post(f"/api/v1/calls/{call.slug}/results/release/")
    assert released.status_code == 200
    assert results(board, call).status_code == 200
    assert AuditEvent.objects.filter(action="results.released").count() == 1


def test_a_conflicted_chair_sees_a_ranking_without_the_conflicted_entry(scored):
    hidden = scored.entries[1]
    Conflict.objects.create(
        call=scored.call,
        submission=hidden,
        juror=scored.chair,
        source="declared",
        rule="declared",
        reason="r",
    )
    chair = client_for(scored.chair)
    data = results(chair, scored.call).json()
    assert hidden.pk not in [row["submission"] for row in data["ranking"]]
    assert [row["rank"] for row in data["ranking"]] == [1, 2, 3, 4]
    assert data["agreement"]["n_submissions"] == 4
    for url in ("results.csv", "results.xlsx", "report/"):
        body = chair.get(f"/api/v1/calls/{scored.call.slug}/{url}").content
        assert hidden.title.encode() not in body, url
    staff_data = results(client_for(scored.staff), scored.call).json()
    assert hidden.pk in [row["submission"] for row in staff_data["ranking"]]


def test_a_sheet_from_a_juror_found_conflicted_later_no_longer_counts(scored):
    entry, juror = scored.entries[0], scored.jurors[3]
    Conflict.objects.create(
        call=scored.call,
        submission=entry,
        juror=juror,
        source="declared",
        rule="declared",
        reason="r",
    )
    row = next(
        r
        for r in results(client_for(scored.staff), scored.call).json()["ranking"]
        if r["submission"] == entry.pk
    )
    assert row["n_sheets"] == 3


def test_csv_and_xlsx_exports_match_the_ranking_and_are_audited(scored):
    staff = client_for(scored.staff)
    data = results(staff, scored.call, method="zscore").json()
    csv_answer = staff.get(f"/api/v1/calls/{scored.call.slug}/results.csv?method=zscore")
    assert csv_answer["Content-Disposition"].startswith("attachment")
    lines = csv_answer.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("rank,submission,title")
    assert lines[1].split(",")[1] == str(data["ranking"][0]["submission"])
    xlsx = staff.get(f"/api/v1/calls/{scored.call.slug}/results.xlsx?method=zscore")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book["Ranking"].cell(row=2, column=2).value == data["ranking"][0]["submission"]
    assert {"Agreement", "Jurors"} <= set(book.sheetnames)
    assert AuditEvent.objects.filter(action="results.exported").count() == 2


def test_the_report_is_one_offline_html_file_with_every_chart(scored):
    answer = client_for(scored.staff).get(f"/api/v1/calls/{scored.call.slug}/report/")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/html")
    page = answer.content.decode()
    assert re.search(r"<script[^>]*\bsrc=", page) is None  # nothing fetched: works offline
    assert page.count("* plotly.js v") == 1  # the library is inlined once
    for number in range(1, 8):
        assert f'id="chart-{number}"' in page
    assert "Jury agreement" in page and page.count("class='reading'") == 8


def test_shortlist_by_rank_opens_round_two_with_those_entries(scored):
    staff = client_for(scored.staff)
    deadline = (scored.round.jury_deadline + timedelta(days=20)).isoformat()
    answer = staff.post(
        f"/api/v1/calls/{scored.call.slug}/shortlist/",
        {"method": "fixed_effects", "top_n": 2, "open_next_round": True, "jury_deadline": deadline},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert [row["submission"] for row in answer.json()["shortlisted"]] == [
        scored.entries[0].pk,
        scored.entries[1].pk,
    ]
    second = Round.objects.get(call=scored.call, number=2)
    assert set(second.entries.values_list("pk", flat=True)) == {
        scored.entries[0].pk,
        scored.entries[1].pk,
    }
    scored.entries[0].refresh_from_db()
    assert scored.entries[0].status == "shortlisted"
    bad = staff.post(
        f"/api/v1/calls/{scored.call.slug}/shortlist/",
        {"top_n": 2, "submissions": [1]},
        format="json",
    )
    assert bad.status_code == 400


def test_shortlist_by_hand_refuses_entries_of_another_call(scored):
    staff = client_for(scored.staff)
    stranger = EligibleSubmissionFactory()
    answer = staff.post(
        f"/api/v1/calls/{scored.call.slug}/shortlist/",
        {"submissions": [scored.entries[3].pk, stranger.pk]},
        format="json",
    )
    assert answer.status_code == 400 and str(stranger.pk) in answer.json()["error"]["message"]


def test_the_board_decides_after_release_and_cities_see_it_after_the_announcement(scored):
    staff = client_for(scored.staff)
    staff.post(
        f"/api/v1/calls/{scored.call.slug}/shortlist/",
        {"submissions": [scored.entries[0].pk, scored.entries[1].pk]},
        format="json",
    )
    board = client_for(BoardFactory())
    body = {
        "submission": scored.entries[0].pk,
        "decision": "awarded",
        "rationale": "Transferable to many member cities.",
    }
    early = board.post(f"/api/v1/calls/{scored.call.slug}/decisions/", body, format="json")
    assert early.status_code == 403
    staff.post(f"/api/v1/calls/{scored.call.slug}/results/release/")
    answer = board.post(f"/api/v1/calls/{scored.call.slug}/decisions/", body, format="json")
    assert answer.status_code == 201, answer.json()
    no_reason = board.post(
        f"/api/v1/calls/{scored.call.slug}/decisions/", {**body, "rationale": ""}, format="json"
    )
    assert no_reason.status_code == 400
    not_short = board.post(
        f"/api/v1/calls/{scored.call.slug}/decisions/",
        {**body, "submission": scored.entries[4].pk},
        format="json",
    )
    assert not_short.status_code == 409
    scored.entries[0].refresh_from_db()
    assert scored.entries[0].status == "awarded"
    assert AuditEvent.objects.filter(action="decision.recorded").count() == 1
    contact = client_for(CityContactFactory(organization=scored.entries[0].organization))
    assert contact.get(f"/api/v1/calls/{scored.call.slug}/decisions/").json() == []
    scored.call.announcement_at = timezone.now() - timedelta(minutes=1)
    scored.call.save()
    seen = contact.get(f"/api/v1/calls/{scored.call.slug}/decisions/").json()
    assert [d["decision"] for d in seen] == ["awarded"]
    other = client_for(CityContactFactory())
    assert other.get(f"/api/v1/calls/{scored.call.slug}/decisions/").json() == []
    late = board.post(f"/api/v1/calls/{scored.call.slug}/decisions/", body, format="json")
    assert late.status_code == 409
    assert Decision.objects.count() == 1


def test_board_report_command_writes_a_self_contained_file(scored, tmp_path):
    from django.core.management import CommandError, call_command

    out = tmp_path / "report.html"
    call_command("board_report", "--call", scored.call.slug, "--out", str(out))
    page = out.read_text()
    assert page.startswith("<!doctype html>") and 'id="chart-7"' in page
    assert re.search(r"<script[^>]*\bsrc=", page) is None
    with pytest.raises(CommandError, match="No call"):
        call_command("board_report", "--call", "nope", "--out", str(out))
    with pytest.raises(CommandError, match="Unknown method"):
        call_command("board_report", "--call", scored.call.slug, "--method", "x", "--out", str(out))


def test_a_city_learns_no_verdict_through_its_entry_before_the_announcement(scored):
    entry = scored.entries[0]
    client_for(scored.staff).post(
        f"/api/v1/calls/{scored.call.slug}/shortlist/", {"submissions": [entry.pk]}, format="json"
    )
    contact = client_for(CityContactFactory(organization=entry.organization))
    assert contact.get(f"/api/v1/submissions/{entry.pk}/").json()["status"] == "under_review"
    base = f"/api/v1/submissions/?call={scored.call.slug}"
    assert contact.get(f"{base}&status=shortlisted").json()["count"] == 0
    assert contact.get(f"{base}&status=under_review").json()["count"] == 1
    staff = client_for(scored.staff)
    assert staff.get(f"/api/v1/submissions/{entry.pk}/").json()["status"] == "shortlisted"
    announced = staff.patch(
        f"/api/v1/calls/{scored.call.slug}/",
        {"announcement_at": (timezone.now() - timedelta(minutes=1)).isoformat()},
        format="json",
    )
    assert announced.status_code == 200
    assert contact.get(f"/api/v1/submissions/{entry.pk}/").json()["status"] == "shortlisted"
    assert contact.get(f"{base}&status=shortlisted").json()["count"] == 1


def test_an_entry_found_ineligible_after_scoring_leaves_the_ranking(scored):
    staff = client_for(scored.staff)
    dropped = scored.entries[2]
    answer = staff.post(
        f"/api/v1/submissions/{dropped.pk}/eligibility/",
        {"eligible": False, "reason": "Dues were not paid after all"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    ranking = results(staff, scored.call).json()["ranking"]
    assert dropped.pk not in [row["submission"] for row in ranking]
    assert [row["rank"] for row in ranking] == [1, 2, 3, 4]


def test_agreement_leads_with_the_reliability_of_the_average_and_gives_ws_block(scored):
    data = results(client_for(scored.staff), scored.call, method="fixed_effects").json()
    agreement = data["agreement"]
    assert agreement["lead"]["form"] == "ICC2k"
    assert agreement["lead"]["value"] == pytest.approx(agreement["icc"]["ICC2k"])
    assert agreement["lead"]["level"] in {"none", "weak", "moderate", "strong"}
    # Every juror read every entry: W is computed on the whole design, 4 jurors x 5 entries.
    assert agreement["kendall_w_block_size"] == {"jurors": 4, "entries": 5}
    assert agreement["kendall_w_block"] == "complete design"


def _open_round_two(scored, **extra):
    return client_for(scored.staff).post(
        f"/api/v1/calls/{scored.call.slug}/shortlist/",
        {
            "top_n": 2,
            "open_next_round": True,
            "jury_deadline": (scored.round.jury_deadline + timedelta(days=20)).isoformat(),
            **extra,
        },
        format="json",
    )


def test_the_shortlist_opens_the_next_round_like_any_round_with_its_audit_event(scored):
    assert _open_round_two(scored).status_code == 201
    second = Round.objects.get(call=scored.call, number=2)
    event = AuditEvent.objects.get(action="round.created", target_id=str(second.pk))
    assert event.data["number"] == 2 and len(event.data["entries"]) == 2


def test_the_shortlist_refuses_a_next_round_due_before_the_first(scored):
    early = (scored.round.jury_deadline - timedelta(days=1)).isoformat()
    answer = _open_round_two(scored, jury_deadline=early)
    assert answer.status_code == 400 and "jury_deadline" in answer.json()["error"]["fields"]
    assert not Round.objects.filter(call=scored.call, number=2).exists()


def test_the_shortlist_refuses_a_next_round_juror_who_is_not_on_the_jury(scored):
    stranger = JurorProfileFactory().user
    answer = _open_round_two(scored, jurors=[scored.jurors[1].pk, stranger.pk])
    assert answer.status_code == 400 and stranger.username in answer.json()["error"]["message"]
    assert not Round.objects.filter(call=scored.call, number=2).exists()
