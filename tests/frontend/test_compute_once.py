"""Work done once per request: the Board's call page computes the standings (their 1,000
resamples included) once for its table and its charts, and so do the Board report and the
results; the juror's score POST opens the sheet once and reads the rubric once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jury.models import Assignment
from scoring import results, sheets
from scoring.models import ScoreSheet
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(monkeypatch):
    """How many times the standings were computed, counted around the real function."""
    calls = []
    real = results.compute_standings

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(results, "compute_standings", counting)
    return calls


@pytest.fixture
def released(scene):
    scene.assign()
    scene.score_all()
    scene.shortlist_and_release(top_n=2)
    return scene


def test_the_boards_call_page_computes_the_standings_once(page, released, counted):
    html = page(released.board).get(f"/board/calls/{released.call.slug}/").content.decode()
    assert html.count('class="chart"') == 7 and "ranking" in html
    assert len(counted) == 1


def test_the_board_report_and_the_results_compute_the_standings_once_each(released, counted):
    board = client_for(released.board)
    assert board.get(f"/api/v1/calls/{released.call.slug}/report/").status_code == 200
    assert len(counted) == 1
    assert board.get(f"/api/v1/calls/{released.call.slug}/results/").status_code == 200
    assert len(counted) == 2


def _rubric_reads(queries) -> int:
    return sum(
        1
        for query in queries
        if re.search(r'FROM "scoring_criterion"', query["sql"]) and "SELECT" in query["sql"]
    )


@pytest.mark.parametrize("action", ["save", "next", "submit"])
def test_the_jurors_score_post_opens_the_sheet_once_and_reads_the_rubric_once(
    page, scene, monkeypatch, action
):
    scene.assign()
    assignment = Assignment.objects.filter(juror=scene.jurors[1]).order_by("id").first()
    client = page(assignment.juror)
    client.get(f"/juror/assignments/{assignment.pk}/")
    sheet = ScoreSheet.objects.get(assignment=assignment)
    opened = []
    real_open = sheets.open_sheet
    monkeypatch.setattr(
        sheets, "open_sheet", lambda *args, **kw: opened.append(args) or real_open(*args, **kw)
    )
    data = {"version": sheet.version, "comment": "Convincing.", "action": action}
    if action == "submit":
        data["confirm_lock"] = "1"  # the juror confirmed that the sheet locks
    for criterion in scene.criteria:
        data[f"value_{criterion.key}"] = "7"
        data[f"comment_{criterion.key}"] = "Clear results."
    with CaptureQueriesContext(connection) as context:
        answer = client.post(f"/juror/assignments/{assignment.pk}/", data)
    assert answer.status_code == 302
    assert len(opened) == 1
    assert _rubric_reads(context.captured_queries) == 1
    sheet.refresh_from_db()
    assert sheet.status == ("submitted" if action == "submit" else "draft")
