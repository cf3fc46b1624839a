"""Issue 10, item 14: no answer tells a juror that an entry exists, or which entries make up a
later round (the shortlist), unless they judge it."""

import pytest

from jury.models import Assignment
from tests.factories import (
    AssignmentFactory,
    EligibleSubmissionFactory,
    JuryMemberFactory,
    RoundFactory,
)
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

MISSING = 987654


def _declare(juror, submission: int):
    return client_for(juror).post(
        "/api/v1/conflicts/", {"submission": submission, "reason": "I advised them"}, format="json"
    )


def _shape(response) -> tuple:
    error = response.json()["error"]
    return response.status_code, error["code"], sorted(error["fields"])


def test_declaring_on_an_unassigned_entry_answers_as_on_a_missing_one():
    assignment = AssignmentFactory()
    unassigned = EligibleSubmissionFactory(call=assignment.round.call)
    elsewhere = EligibleSubmissionFactory()
    missing = _declare(assignment.juror, MISSING)
    for entry in (unassigned, elsewhere):
        answer = _declare(assignment.juror, entry.pk)
        assert _shape(answer) == _shape(missing) == (404, "not_found", ["submission"])
        assert answer.json()["error"]["message"] == missing.json()["error"]["message"].replace(
            str(MISSING), str(entry.pk)
        )
    assert _declare(assignment.juror, assignment.submission_id).status_code == 201


class TwoRounds:
    """Round 1 judged by the whole jury; round 2 on a shortlist of two, by two jurors."""

    def __init__(self):
        first = RoundFactory()
        self.call = first.call
        self.jurors = [JuryMemberFactory(call=self.call).juror for _ in range(3)]
        self.chair = JuryMemberFactory(call=self.call, is_chair=True).juror
        self.entries = [EligibleSubmissionFactory(call=self.call) for _ in range(4)]
        self.shortlist = self.entries[:2]
        second = RoundFactory(call=self.call, number=2, name="Final")
        second.entries.set(self.shortlist)
        second.jurors.set(self.jurors[:2])
        Assignment.objects.create(round=second, submission=self.shortlist[0], juror=self.jurors[0])

    def rounds(self, user):
        return client_for(user).get(f"/api/v1/calls/{self.call.slug}/rounds/")


@pytest.fixture
def two_rounds():
    return TwoRounds()


def test_a_juror_not_on_round_two_does_not_see_it_or_its_shortlist(two_rounds):
    outsider = two_rounds.jurors[2]
    listed = two_rounds.rounds(outsider).json()
    assert [r["number"] for r in listed] == [1]
    detail = client_for(outsider).get(f"/api/v1/calls/{two_rounds.call.slug}/rounds/2/")
    missing = client_for(outsider).get(f"/api/v1/calls/{two_rounds.call.slug}/rounds/3/")
    assert _shape(detail) == _shape(missing) and detail.status_code == 404


def test_a_juror_on_round_two_sees_only_the_entries_assigned_to_them(two_rounds):
    assigned, idle = two_rounds.jurors[0], two_rounds.jurors[1]
    by_number = {r["number"]: r for r in two_rounds.rounds(assigned).json()}
    assert by_number[2]["entries"] == [two_rounds.shortlist[0].pk]
    by_number = {r["number"]: r for r in two_rounds.rounds(idle).json()}
    assert by_number[2]["entries"] == []
    detail = client_for(idle).get(f"/api/v1/calls/{two_rounds.call.slug}/rounds/2/").json()
    assert detail["entries"] == []


def test_the_chair_and_the_secretariat_see_the_whole_shortlist(two_rounds):
    from tests.factories import SecretariatFactory

    expected = sorted(entry.pk for entry in two_rounds.shortlist)
    for user in (two_rounds.chair, SecretariatFactory()):
        by_number = {r["number"]: r for r in two_rounds.rounds(user).json()}
        assert by_number[2]["entries"] == expected


def test_the_rounds_list_costs_the_same_queries_for_few_and_many_entries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(setup: TwoRounds, user) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert setup.rounds(user).status_code == 200
        return len(queries)

    small, large = TwoRounds(), TwoRounds()
    third = RoundFactory(call=large.call, number=3, name="Extra")
    extra = [EligibleSubmissionFactory(call=large.call) for _ in range(6)]
    third.entries.set(extra)
    for entry in extra:
        Assignment.objects.create(round=third, submission=entry, juror=large.jurors[0])
    assert count(small, small.chair) == count(large, large.chair)
    assert count(small, small.jurors[0]) == count(large, large.jurors[0])
