"""After `seed_demo` every demo role has work on its home page at once: the Board a released
shortlist to decide, the jurors of the Initiatives 2015 entries to score (some drafts begun),
the cities an open call, the secretariat calls to run; and `board_report` without --round
writes the report of the round with results, not of the empty final."""

import io

import pytest
from django.core.management import CommandError, call_command

from jury.models import Round
from scoring.models import ScoreSheet
from submissions.demo.seed import AWARD_SLUG, INITIATIVES_SLUG, OPEN_SLUG
from submissions.models import Submission, User
from tests.support.clients import browser_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


def _home(username: str, url: str) -> str:
    response = browser_for(User.objects.get(username=username)).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_board_finds_a_released_shortlist_of_eight_to_decide(demo):
    home = _home("board", "/board/")
    assert "No results have been released" not in home
    assert f"/board/calls/{AWARD_SLUG}/?round=1" in home
    page = _home("board", f"/board/calls/{AWARD_SLUG}/?round=1")
    assert "0 of 8 decided" in page
    shortlisted = Submission.objects.filter(call__slug=AWARD_SLUG, status="shortlisted")
    assert shortlisted.count() == 8
    for entry in shortlisted:
        assert f"/board/calls/{AWARD_SLUG}/entries/{entry.pk}/" in page
    first = Round.objects.get(call__slug=AWARD_SLUG, number=1)
    assert first.results_released_at.year == 2014
    assert not Round.objects.get(call__slug=AWARD_SLUG, number=2).results_released_at


def test_the_initiatives_jurors_have_entries_to_score_and_some_drafts(demo):
    drafts = ScoreSheet.objects.filter(
        assignment__round__call__slug=INITIATIVES_SLUG, status="draft"
    )
    assert set(drafts.values_list("assignment__juror__username", flat=True)) == {
        "juror1",
        "juror3",
        "juror8",
    }
    assert all(sheet.scores.exists() for sheet in drafts)
    for username in ("juror1", "juror2", "juror8"):
        home = _home(username, "/juror/")
        assert "Metropolis Initiatives 2015" in home
        assert "/juror/assignments/" in home
    assert "Draft saved" in _home("juror1", "/juror/")


def test_a_city_finds_the_2027_call_open(demo):
    home = _home("barcelona", "/city/")
    assert "Metropolis Initiatives 2027" in home
    assert f"/city/calls/{OPEN_SLUG}/new/" in home


def test_the_secretariat_sees_the_calls_it_runs(demo):
    home = _home("secretariat", "/secretariat/")
    for slug in (AWARD_SLUG, INITIATIVES_SLUG, OPEN_SLUG):
        assert f"/secretariat/calls/{slug}/" in home


def test_seeding_again_keeps_the_shortlist_the_release_and_the_drafts(demo, settings):
    shortlisted = set(Submission.objects.filter(status="shortlisted").values_list("pk", flat=True))
    released = Round.objects.get(call__slug=AWARD_SLUG, number=1).results_released_at
    drafts = ScoreSheet.objects.filter(status="draft").count()
    call_command("seed_demo", verbosity=0)
    assert (
        set(Submission.objects.filter(status="shortlisted").values_list("pk", flat=True))
        == shortlisted
    )
    assert Round.objects.get(call__slug=AWARD_SLUG, number=1).results_released_at == released
    assert ScoreSheet.objects.filter(status="draft").count() == drafts


def test_board_report_without_a_round_reports_the_round_with_results(demo, tmp_path):
    out = tmp_path / "report.html"
    log = io.StringIO()
    call_command("board_report", "--call", AWARD_SLUG, "--out", str(out), stdout=log)
    page = out.read_text()
    assert "No submitted score sheets yet" not in page
    assert all(f'id="chart-{n}"' in page for n in range(1, 8))
    assert "First round" in page
    assert "First round (round 1)" in log.getvalue()


def test_board_report_says_so_when_no_round_has_results(demo, tmp_path):
    with pytest.raises(CommandError, match="no report to write"):
        call_command("board_report", "--call", OPEN_SLUG, "--out", str(tmp_path / "r.html"))
    assert not (tmp_path / "r.html").exists()
