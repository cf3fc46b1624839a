"""Issue 13, item 7 on the pages: the discussion under a juror's submitted sheet, the chair's
and the secretariat's "To discuss" list and entry discussion with the consensus form, and the
consensus note on the Board's entry page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring import deliberation
from scoring.models import ConsensusNote, DiscussionPost, Score, ScoreSheet
from scoring.results import release
from submissions.models import AuditEvent
from tests.factories import AssignmentFactory
from tests.support.clients import browser_for
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db


class Jury:
    """Three entries read by jurors 1 and 2 (sheets submitted); juror 3 holds a draft on entry
    0; juror 0 chairs. The jurors split on entry 0 (2 against 9): it is flagged for
    disagreement; they agree on the others."""

    def __init__(self, **call):
        self.world = JudgedCall(entries=3, jurors=4, rubric=[{"key": "impact"}], **call)
        self.chair, self.first, self.second, self.late = self.world.jurors
        self.entry = self.world.entries[0]
        self.round = self.world.round
        [criterion] = self.world.criteria
        values = {0: (2, 9), 1: (6, 6), 2: (8, 8)}
        self.assignments = {}
        for i, entry in enumerate(self.world.entries):
            for j, juror in enumerate((self.first, self.second)):
                assignment = AssignmentFactory(round=self.round, submission=entry, juror=juror)
                sheet = ScoreSheet.objects.create(assignment=assignment, status="submitted")
                Score.objects.create(sheet=sheet, criterion=criterion, value=values[i][j])
                self.assignments[(juror, i)] = assignment
        self.assignments[(self.late, 0)] = AssignmentFactory(
            round=self.round, submission=self.entry, juror=self.late
        )

    def assignment_url(self, juror, i=0, suffix="") -> str:
        return f"/juror/assignments/{self.assignments[(juror, i)].pk}/{suffix}"

    def list_url(self, **params) -> str:
        query = "&".join(f"{k}={v}" for k, v in {"round": 1, **params}.items())
        return f"/secretariat/calls/{self.world.call.slug}/to-discuss/?{query}"

    def entry_url(self, entry=None) -> str:
        pk = (entry or self.entry).pk
        return f"/secretariat/calls/{self.world.call.slug}/to-discuss/{pk}/?round=1"


@pytest.fixture
def jury():
    return Jury()


def test_a_juror_sees_the_discussion_only_once_their_own_sheet_is_submitted(jury):
    deliberation.post(jury.first, jury.round, jury.entry, "The baseline year is missing.")
    late = browser_for(jury.late).get(jury.assignment_url(jury.late)).content.decode()
    assert "Once you submit your sheet" in late
    assert "baseline year" not in late
    page = browser_for(jury.second).get(jury.assignment_url(jury.second)).content.decode()
    assert "The baseline year is missing." in page and jury.first.username in page
    assert 'action="' + jury.assignment_url(jury.second, suffix="discussion/") in page
    refused = browser_for(jury.late).get(jury.assignment_url(jury.late, suffix="discussion/"))
    assert refused.status_code == 403
    assert "Submit your own sheet first" in refused.content.decode()


def test_a_juror_posts_from_their_entry_and_comes_back_to_the_discussion(jury):
    client = browser_for(jury.first)
    url = jury.assignment_url(jury.first, suffix="discussion/")
    answer = client.post(url, {"body": "Transferable to port cities?"})
    assert answer.status_code == 302
    assert answer["Location"] == jury.assignment_url(jury.first) + "#discussion"
    page = client.get(jury.assignment_url(jury.first)).content.decode()
    assert "Transferable to port cities?" in page and "Your message is posted." in page
    assert AuditEvent.objects.filter(action="deliberation.posted", actor=jury.first).count() == 1
    blank = client.post(url, {"body": "  "})
    assert blank.status_code == 400
    assert "Write something first." in blank.content.decode()
    assert DiscussionPost.objects.count() == 1


def test_the_to_discuss_list_gives_each_entry_its_reason_messages_and_note(jury):
    deliberation.post(jury.chair, jury.round, jury.world.entries[1], "Shall we look again?")
    html = browser_for(jury.chair).get(jury.list_url()).content.decode()
    assert "Jurors disagree" in html and "Under discussion" in html
    assert jury.entry_url() in html
    assert jury.entry_url(jury.world.entries[2]) not in html  # agreed, not discussed
    with_cut = browser_for(jury.world.staff).get(jury.list_url(top_n=1)).content.decode()
    assert "Chance of the top N" in with_cut
    bad = browser_for(jury.chair).get(jury.list_url(top_n="many"))
    assert bad.status_code == 400 and "whole number of entries" in bad.content.decode()


def test_the_chair_discusses_and_records_the_consensus_and_the_secretariat_reads(jury):
    chair = browser_for(jury.chair)
    posted = chair.post(jury.entry_url(), {"action": "post", "round": 1, "post-body": "Agreed?"})
    assert posted.status_code == 302
    noted = chair.post(
        jury.entry_url(),
        {
            "action": "consensus",
            "round": 1,
            "consensus-body": "Split on impact.",
            "consensus-version": 0,
        },
    )
    assert noted.status_code == 302
    assert ConsensusNote.objects.get().body == "Split on impact."
    html = chair.get(jury.entry_url()).content.decode()
    assert "Change the consensus note" in html and "Agreed?" in html
    stale = chair.post(
        jury.entry_url(),
        {"action": "consensus", "round": 1, "consensus-body": "Overwrite.", "consensus-version": 0},
    )
    assert stale.status_code == 412 and "changed since you read it" in stale.content.decode()

    staff = browser_for(jury.world.staff)
    html = staff.get(jury.entry_url()).content.decode()
    assert "Split on impact." in html and "Agreed?" in html
    assert 'name="post-body"' not in html and 'name="consensus-body"' not in html
    refused = staff.post(jury.entry_url(), {"action": "post", "round": 1, "post-body": "Hi"})
    assert refused.status_code == 403
    assert DiscussionPost.objects.count() == 1


def test_the_board_reads_the_consensus_on_the_entry_page_of_a_released_round(jury):
    deliberation.record_consensus(jury.chair, jury.round, jury.entry, "Promising, unproven.")
    deliberation.post(jury.chair, jury.round, jury.entry, "Jury-only remark.")
    jury.world.shortlist_and_release(top_n=3)
    url = f"/board/calls/{jury.world.call.slug}/entries/{jury.entry.pk}/"
    html = browser_for(jury.world.board).get(url).content.decode()
    assert "The jury's consensus" in html
    assert "Promising, unproven." in html
    assert "Jury-only remark." not in html


def test_the_board_sees_no_consensus_of_a_round_not_released():
    jury = Jury()
    deliberation.record_consensus(jury.chair, jury.round, jury.entry, "Not for the Board yet.")
    url = f"/board/calls/{jury.world.call.slug}/entries/{jury.entry.pk}/"
    # The secretariat opens the Board's page before the release: no note shown there yet.
    html = browser_for(jury.world.staff).get(url).content.decode()
    assert "Not for the Board yet." not in html
    release(jury.world.staff, jury.round)
    assert "Not for the Board yet." in browser_for(jury.world.staff).get(url).content.decode()


def test_a_blind_calls_discussion_pages_never_name_the_entrant():
    jury = Jury(blind=True)
    organization = jury.entry.organization
    organization.name, organization.city = "Alcaldía de Medellín", "Medellín"
    organization.save()
    deliberation.post(jury.first, jury.round, jury.entry, "Medellín's cable again.")
    for client, url in (
        (browser_for(jury.second), jury.assignment_url(jury.second)),
        (browser_for(jury.chair), jury.entry_url()),
    ):
        html = client.get(url).content.decode().casefold()
        assert "medell" not in html and "[entrant]" in html


def test_the_to_discuss_page_costs_the_same_queries_for_few_and_many_discussions(jury):
    client = browser_for(jury.chair)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(jury.list_url(top_n=2)).status_code == 200
        return len(queries)

    few = count()
    for entry in jury.world.entries:
        deliberation.post(jury.chair, jury.round, entry, "Noted.")
        deliberation.record_consensus(jury.chair, jury.round, entry, "Agreed.")
    assert count() == few


@pytest.mark.parametrize(
    ("language", "heading", "refusal"),
    [
        ("fr", "La discussion du jury", "votre propre grille"),
        ("es", "La deliberación del jurado", "Envíe primero su propia hoja"),
    ],
)
def test_the_discussion_speaks_the_visitors_language(jury, language, heading, refusal):
    deliberation.post(jury.first, jury.round, jury.entry, "Noted.")
    submitted = browser_for(jury.second)
    submitted.post("/i18n/setlang/", {"language": language, "next": "/juror/"})
    assert heading in submitted.get(jury.assignment_url(jury.second)).content.decode()
    late = browser_for(jury.late)
    late.post("/i18n/setlang/", {"language": language, "next": "/juror/"})
    answer = late.get(jury.assignment_url(jury.late, suffix="discussion/"))
    assert answer.status_code == 403 and refusal in answer.content.decode()
