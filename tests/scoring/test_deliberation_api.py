"""Issue 13, item 7: the jury's deliberation over the API. After submitting their own sheet,
an entry's jurors (never a conflicted one) discuss it; the chair records a consensus note; the
secretariat reads; the Board reads the consensus notes of released rounds only; everything
audited; a 404 wherever an answer would tell a juror that an entry exists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring import deliberation
from scoring.models import ConsensusNote, DiscussionPost
from scoring.results import release
from submissions.models import AuditEvent, Submission
from tests.factories import (
    AssignmentFactory,
    BoardFactory,
    CityContactFactory,
    ConflictFactory,
    SecretariatFactory,
    SubmissionFactory,
)
from tests.support.clients import browser_for, client_for
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db

MISSING = 987654


class Deliberation:
    """A call whose four jurors (the first chairs) read every entry, the fourth in conflict
    with entry 0; jurors 1 and 2 (and the chair, unless said) submitted their sheets on it."""

    def __init__(self, chair_submits: bool = True, **call):
        self.world = JudgedCall.panel(n_entries=3, n_jurors=4, **call)
        self.chair, self.first, self.second, self.conflicted = self.world.jurors
        self.entry = self.world.entries[0]
        ConflictFactory(call=self.world.call, submission=self.entry, juror=self.conflicted)
        for juror in (self.first, self.second, self.chair)[: 3 if chair_submits else 2]:
            self.world.submitted_sheet(juror, self.entry)
        self.call, self.round = self.world.call, self.world.round

    def url(self, what: str = "posts", entry=None, round_number: int = 1) -> str:
        number = entry if isinstance(entry, int) else (entry or self.entry).pk
        return f"/api/v1/calls/{self.call.slug}/rounds/{round_number}/entries/{number}/{what}/"

    def say(self, user, body="Impact is measured on one district only.", entry=None):
        return client_for(user).post(self.url("posts", entry), {"body": body}, format="json")

    def agree(self, user, body="Strong but narrow.", **extra):
        return client_for(user).put(self.url("consensus"), {"body": body, **extra}, format="json")


@pytest.fixture
def jury():
    return Deliberation()


def _shape(response) -> tuple:
    error = response.json()["error"]
    return response.status_code, error["code"], sorted(error["fields"])


def test_two_jurors_who_submitted_discuss_and_read_each_other(jury):
    assert jury.say(jury.first, "The results are thin.").status_code == 201
    answer = jury.say(jury.second, "I read them as promising.")
    assert answer.status_code == 201
    assert answer.json()["author"] == jury.second.username
    thread = client_for(jury.first).get(jury.url()).json()
    assert [post["body"] for post in thread] == [
        "The results are thin.",
        "I read them as promising.",
    ]
    assert [post["author"] for post in thread] == [jury.first.username, jury.second.username]


def test_a_juror_who_has_not_submitted_cannot_peek_at_the_discussion(jury):
    jury.say(jury.first, "A post the chair has not read yet.")
    draft_holder = jury.world.seat_juror()
    AssignmentFactory(round=jury.round, submission=jury.entry, juror=draft_holder)
    for response in (client_for(draft_holder).get(jury.url()), jury.say(draft_holder)):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "sheet_not_submitted"
        assert "Submit your own sheet first" in response.json()["error"]["message"]
        assert b"chair has not read" not in response.content


def test_a_reopened_sheet_closes_the_discussion_until_submitted_again(jury):
    sheet = jury.first.assignments.get(submission=jury.entry).sheet
    answer = client_for(jury.chair).post(
        f"/api/v1/score-sheets/{sheet.pk}/reopen/",
        {"reason": "Check impact", "version": sheet.version},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert client_for(jury.first).get(jury.url()).status_code == 403


def test_a_conflicted_juror_finds_the_discussion_missing_like_an_entry_that_does_not_exist(jury):
    missing = client_for(jury.conflicted).get(jury.url(entry=MISSING))
    for response in (
        client_for(jury.conflicted).get(jury.url()),
        jury.say(jury.conflicted),
        client_for(jury.conflicted).get(jury.url("consensus")),
    ):
        assert _shape(response) == _shape(missing) == (404, "not_found", [])
        assert response.json()["error"]["message"] == missing.json()["error"]["message"].replace(
            str(MISSING), str(jury.entry.pk)
        )


def test_jurors_of_another_call_or_not_on_the_entry_find_nothing(jury):
    elsewhere = JudgedCall.panel(n_entries=1, n_jurors=2)
    stranger = elsewhere.jurors[1]
    elsewhere.submitted_sheet(stranger, elsewhere.entries[0])
    not_on_it = jury.world.seat_juror()  # on the jury, assigned nothing
    for juror in (stranger, not_on_it):
        assert client_for(juror).get(jury.url()).status_code == 404
        assert jury.say(juror).status_code == 404
    # A round that does not exist answers as an entry missing from a round that does.
    absent = client_for(jury.first).get(jury.url(round_number=7))
    missing = client_for(jury.first).get(jury.url(entry=MISSING))
    assert _shape(absent) == _shape(missing)


def test_cities_and_the_board_never_read_the_discussion(jury):
    jury.say(jury.first, "Jury talk.")
    own_city = CityContactFactory(organization=jury.entry.organization)
    assert client_for(own_city).get(jury.url()).status_code == 403
    assert client_for(CityContactFactory()).get(jury.url()).status_code == 404
    board = BoardFactory()
    assert client_for(board).get(jury.url()).status_code == 404  # not shortlisted: unseen
    jury.world.shortlist_and_release(top_n=3)
    answer = client_for(board).get(jury.url())
    assert answer.status_code == 403 and b"Jury talk" not in answer.content
    assert "consensus notes" in answer.json()["error"]["message"]


def test_a_city_cannot_tell_whether_its_entry_is_in_a_round(jury):
    """Being in round 1 means eligible (in a later round, shortlisted): a verdict the city learns
    at the announcement. Its own entry in the round and its own entry out of it answer alike."""
    own_city = CityContactFactory(organization=jury.entry.organization)
    out_of_round = SubmissionFactory(
        call=jury.call,
        organization=jury.entry.organization,
        status=Submission.Status.INELIGIBLE,
    )
    inside = client_for(own_city).get(jury.url())
    outside = client_for(own_city).get(jury.url(entry=out_of_round))
    assert inside.status_code == outside.status_code == 403
    assert inside.json()["error"] == outside.json()["error"]


def test_the_secretariat_reads_but_does_not_post(jury):
    jury.say(jury.first, "Jury talk.")
    staff = SecretariatFactory()
    assert [p["body"] for p in client_for(staff).get(jury.url()).json()] == ["Jury talk."]
    assert jury.say(staff).status_code == 403
    assert jury.agree(staff).status_code == 403


def test_each_post_is_audited_and_a_blank_or_long_post_is_refused(jury):
    answer = jury.say(jury.first, "  The budget is unclear.  ")
    event = AuditEvent.objects.get(action="deliberation.posted")
    assert event.actor == jury.first and event.call == jury.call
    assert event.target_id == str(answer.json()["id"])
    assert event.data == {"round": 1, "submission": jury.entry.pk, "length": 22}
    blank = jury.say(jury.first, "   ")
    assert blank.status_code == 400 and blank.json()["error"]["fields"]["body"]
    long = jury.say(jury.first, "x" * (deliberation.MAX_LENGTH + 1))
    assert long.status_code == 400 and "5000" in long.json()["error"]["message"]
    assert DiscussionPost.objects.count() == 1


def test_posts_are_never_edited_or_deleted(jury):
    jury.say(jury.first)
    for method in ("put", "patch", "delete"):
        response = getattr(client_for(jury.first), method)(jury.url(), {}, format="json")
        assert response.status_code == 405
    assert DiscussionPost.objects.count() == 1


def test_the_chair_records_and_rewrites_the_consensus_with_its_history_audited(jury):
    assert client_for(jury.chair).get(jury.url("consensus")).json()["note"] is None
    first = jury.agree(jury.chair, "Strong, narrow.")
    assert first.status_code == 200, first.json()
    assert first.json()["note"]["version"] == 1
    second = jury.agree(jury.chair, "Strong; transferable with care.", version=1)
    assert second.json()["note"]["body"] == "Strong; transferable with care."
    stale = jury.agree(jury.chair, "Overwrite.", version=1)
    assert stale.status_code == 412
    events = AuditEvent.objects.filter(action="deliberation.consensus_recorded").order_by("id")
    assert [(e.data["old"], e.data["new"], e.data["version"]) for e in events] == [
        (None, "Strong, narrow.", 1),
        ("Strong, narrow.", "Strong; transferable with care.", 2),
    ]
    # The jurors of the entry read it; only the chair writes it.
    assert client_for(jury.first).get(jury.url("consensus")).json()["note"]["version"] == 2
    assert jury.agree(jury.first).status_code == 403
    assert ConsensusNote.objects.get().body == "Strong; transferable with care."


def test_a_conflicted_chair_cannot_reach_the_entry(jury):
    ConflictFactory(call=jury.call, submission=jury.entry, juror=jury.chair)
    assert client_for(jury.chair).get(jury.url()).status_code == 404
    assert jury.agree(jury.chair).status_code == 404
    assert not ConsensusNote.objects.exists()


def test_the_board_reads_consensus_notes_only_once_the_round_is_released(jury):
    jury.agree(jury.chair, "Award-worthy.")
    board = BoardFactory()
    assert client_for(board).get(jury.url("consensus")).status_code == 404
    jury.world.shortlist_and_release(top_n=3)
    answer = client_for(board).get(jury.url("consensus"))
    assert answer.status_code == 200 and answer.json()["note"]["body"] == "Award-worthy."
    assert jury.agree(board).status_code == 403


def test_in_a_blind_call_posts_and_notes_never_name_the_entrant_but_jurors_are_named():
    jury = Deliberation(blind=True)
    organization = jury.entry.organization
    organization.name, organization.city = "Alcaldía de Medellín", "Medellín"
    organization.save()
    jury.say(jury.first, "Surely this is Medellin's cable car.")
    jury.agree(jury.chair, "MEDELLÍN did well.")
    for reader in (jury.first, jury.second, jury.chair):
        [post] = client_for(reader).get(jury.url()).json()
        assert post["body"] == "Surely this is [entrant]'s cable car."
        assert post["author"] == jury.first.username
        note = client_for(reader).get(jury.url("consensus")).json()["note"]
        assert note["body"] == "[entrant] did well."
    staff = SecretariatFactory()
    assert "Medellin" in client_for(staff).get(jury.url()).json()[0]["body"]


def test_the_discussion_costs_the_same_queries_for_few_and_many_posts(jury):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_for(jury.first).get(jury.url()).status_code == 200
        return len(queries)

    jury.say(jury.first)
    few = count()
    for number in range(6):
        jury.say(jury.second if number % 2 else jury.first, f"Point {number}.")
    assert count() == few


# --- the "to discuss" list -----------------------------------------------------------------


def agenda_world():
    """Five entries scored by four jurors on 1-10: the jurors split on entry 1 (2 against 9),
    agree elsewhere; entries 0 and 2 are close to each other."""
    world = JudgedCall(entries=5, jurors=4, rubric=[{"key": "impact"}])
    marks = {0: 8, 1: None, 2: 8, 3: 4, 4: 2}

    def value(i, j, criterion):
        if marks[i] is None:
            return 2 if j % 2 else 9
        return marks[i] + (j % 2) * (1 if i in (0, 2) else 0)

    world.score_rows(value)
    return world


def _agenda(user, world, **params):
    url = f"/api/v1/calls/{world.call.slug}/rounds/1/to-discuss/"
    return client_for(user).get(url, params)


def test_the_list_holds_disagreements_uncertain_entries_at_the_cut_and_started_discussions():
    world = agenda_world()
    split, close = world.entries[1].pk, {world.entries[0].pk, world.entries[2].pk}
    without_cut = _agenda(world.chair, world).json()
    assert [(e["submission"], e["reasons"]) for e in without_cut["entries"]] == [
        (split, ["disagreement"])
    ]
    # The cut between the two close entries: both are uncertain at it, first in the list.
    answer = _agenda(world.chair, world, top_n=1).json()
    rows = {row["submission"]: row for row in answer["entries"]}
    assert {pk for pk, row in rows.items() if "uncertain_at_cut" in row["reasons"]} == close
    assert {row["submission"] for row in answer["entries"][:2]} == close
    assert all(0.05 < rows[pk]["p_top"] < 0.95 for pk in close)
    # A discussion started on a settled entry puts it on the list, with its count and note.
    calm = world.entries[3]
    deliberation.post(world.chair, world.round, calm, "Anything we missed?")
    deliberation.record_consensus(world.chair, world.round, calm, "Settled: solid, not top.")
    rows = {row["submission"]: row for row in _agenda(world.chair, world).json()["entries"]}
    assert rows[calm.pk]["reasons"] == ["discussed"]
    assert (rows[calm.pk]["posts"], rows[calm.pk]["consensus"]) == (1, True)
    assert (rows[split]["posts"], rows[split]["consensus"]) == (0, False)


def test_the_list_is_for_the_chair_and_the_secretariat_and_leaves_out_the_chairs_conflicts():
    world = agenda_world()
    split = world.entries[1]
    assert _agenda(world.staff, world).status_code == 200
    for user in (world.jurors[1], world.board, CityContactFactory()):
        assert _agenda(user, world).status_code == 403
    ConflictFactory(call=world.call, submission=split, juror=world.chair)
    listed = [row["submission"] for row in _agenda(world.chair, world).json()["entries"]]
    assert split.pk not in listed
    assert _agenda(world.chair, world, top_n=0).status_code == 400


def test_the_list_costs_the_same_queries_for_few_and_many_discussed_entries():
    world = agenda_world()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert _agenda(world.chair, world, top_n=2).status_code == 200
        return len(queries)

    few = count()
    for entry in world.entries:
        deliberation.post(world.chair, world.round, entry, "Noted.")
        deliberation.record_consensus(world.chair, world.round, entry, "Agreed.")
    assert count() == few


def test_the_board_consensus_of_a_released_round_is_shown_once_per_round():
    jury = Deliberation()
    jury.agree(jury.chair, "Award-worthy.")
    assert deliberation.released_consensus(jury.world.board, jury.entry) == []
    release(jury.world.staff, jury.round)
    [(round_, note)] = deliberation.released_consensus(jury.world.board, jury.entry)
    assert (round_.number, note.body) == (1, "Award-worthy.")


def test_a_chair_who_judges_the_entry_does_not_peek_before_submitting_either():
    jury = Deliberation(chair_submits=False)  # the chair judges entry 0 too: a draft
    jury.say(jury.first, "Before the chair scored.")
    answer = client_for(jury.chair).get(jury.url())
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "sheet_not_submitted"
    assert b"Before the chair scored" not in answer.content
    page = browser_for(jury.chair).get(
        f"/secretariat/calls/{jury.call.slug}/to-discuss/{jury.entry.pk}/?round=1"
    )
    assert page.status_code == 403 and "Before the chair scored" not in page.content.decode()
    jury.world.submitted_sheet(jury.chair, jury.entry)
    assert [p["body"] for p in client_for(jury.chair).get(jury.url()).json()] == [
        "Before the chair scored."
    ]
