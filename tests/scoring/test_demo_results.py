"""The 2014 Award demo, end to end: results, shortlist into round 2, release, decisions,
and the Board report."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from jury.models import Round
from scoring.models import Decision
from submissions.models import User
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db
AWARD = "metropolis-award-2014"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    return {name: User.objects.get(username=name) for name in ("secretariat", "board", "juror1")}


def test_the_demo_ranks_every_entry_by_every_method_with_agreement_and_intervals(demo):
    staff = client_for(demo["secretariat"])
    for method in ["mean", "median", "trimmed", "zscore", "fixed_effects", "borda"]:
        data = staff.get(f"/api/v1/calls/{AWARD}/results/?round=1&method={method}").json()
        assert len(data["ranking"]) == 40, method
        assert all(row["n_sheets"] == 3 for row in data["ranking"])
        assert all(row["rank_ci"][0] <= row["rank"] <= row["rank_ci"][1] for row in data["ranking"])
        assert data["agreement"]["n_jurors"] == 8
        assert data["agreement"]["icc"]["ICC1"] is not None
    severities = {j["username"]: j["severity"] for j in data["jurors"]}
    assert max(severities.values()) - min(severities.values()) > 0.5  # harsh and lenient


def test_the_demo_shortlist_opens_round_two_and_the_board_decides(demo, tmp_path):
    """The demo comes with round 1 shortlisted and released; the secretariat opens the final
    over the shortlist (drawn again by the same rule) and the Board decides."""
    staff = client_for(demo["secretariat"])
    deadline = (timezone.now() + timedelta(days=30)).isoformat()
    answer = staff.post(
        f"/api/v1/calls/{AWARD}/shortlist/",
        {
            "round": 1,
            "method": "fixed_effects",
            "top_n": 8,
            "open_next_round": True,
            "jury_deadline": deadline,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    shortlisted = [row["submission"] for row in answer.json()["shortlisted"]]
    assert len(shortlisted) >= 8
    assert set(
        Round.objects.get(call__slug=AWARD, number=2).entries.values_list("pk", flat=True)
    ) == set(shortlisted)
    released = staff.post(f"/api/v1/calls/{AWARD}/results/release/", {"round": 1}, format="json")
    assert released.status_code == 409  # the demo released round 1 already
    board = client_for(demo["board"])
    assert board.get(f"/api/v1/calls/{AWARD}/results/?round=1").status_code == 200
    decided = board.post(
        f"/api/v1/calls/{AWARD}/decisions/",
        {
            "submission": shortlisted[0],
            "decision": "awarded",
            "rationale": "Clear improvement of quality of life, transferable.",
        },
        format="json",
    )
    assert decided.status_code == 201, decided.json()
    assert Decision.objects.get().outcome == "awarded"
    out = tmp_path / "report.html"
    call_command("board_report", "--call", AWARD, "--round", "1", "--out", str(out))
    page = out.read_text()
    assert all(f'id="chart-{n}"' in page for n in range(1, 8))
    assert "Superblocks" in page or "Sharing City Seoul" in page


def test_the_demo_jurors_have_an_open_round_to_score_now(demo):
    juror = client_for(User.objects.get(username="juror2"))
    work = juror.get("/api/v1/juror/assignments/?page_size=100").json()["results"]
    open_now = [a for a in work if a["call"] == "metropolis-initiatives-2015"]
    assert open_now and all(a["sheet"] is None for a in open_now)
    sheet = juror.get(f"/api/v1/juror/assignments/{open_now[0]['id']}/sheet/")
    assert sheet.status_code == 200, sheet.json()
    saved = juror.patch(
        f"/api/v1/score-sheets/{sheet.json()['id']}/",
        {"scores": [{"criterion": "impact", "value": 7}], "version": 1},
        format="json",
    )
    assert saved.status_code == 200, saved.json()
