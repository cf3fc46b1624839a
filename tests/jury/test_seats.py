"""The jury's seats besides seating (jury.seats): one chair at most, set by the secretariat;
unseating takes a juror's unscored work with them and refuses once they have scored, with an
audit event either way it succeeds."""

from decimal import Decimal

import pytest

from jury import seats
from jury.models import Assignment, JuryMember
from scoring import sheets
from scoring.models import ScoreSheet
from submissions.errors import Conflict, DomainError, NotAllowed
from submissions.models import AuditEvent
from tests.factories import JurorFactory
from tests.support.clients import client_for
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged():
    return JudgedCall(entries=2, jurors=3)


def test_only_the_secretariat_sets_the_chair_or_unseats(judged):
    for actor in (judged.chair, judged.board):
        with pytest.raises(NotAllowed):
            seats.set_chair(actor, judged.call, judged.jurors[1])
        with pytest.raises(NotAllowed):
            seats.unseat_juror(actor, judged.call, judged.jurors[1])
    assert JuryMember.objects.get(call=judged.call, juror=judged.chair).is_chair


def test_a_new_chair_replaces_the_old_one_and_is_audited(judged):
    seats.set_chair(judged.staff, judged.call, judged.jurors[2])
    chairs = JuryMember.objects.filter(call=judged.call, is_chair=True)
    assert [seat.juror for seat in chairs] == [judged.jurors[2]]
    event = AuditEvent.objects.get(action="jury.chair_set")
    assert event.data == {"old": [judged.chair.pk], "new": judged.jurors[2].pk}


def test_seating_a_chair_through_the_api_leaves_the_jury_one_chair(judged):
    new_chair = judged.jurors[2]
    answer = client_for(judged.staff).post(
        f"/api/v1/calls/{judged.call.slug}/jurors/",
        {"juror": new_chair.pk, "is_chair": True},
        format="json",
    )
    assert answer.status_code in (200, 201), answer.content
    chairs = JuryMember.objects.filter(call=judged.call, is_chair=True)
    assert list(chairs.values_list("juror_id", flat=True)) == [new_chair.pk]


def test_someone_off_the_jury_cannot_chair_it(judged):
    with pytest.raises(DomainError) as refused:
        seats.set_chair(judged.staff, judged.call, JurorFactory())
    assert refused.value.code == "not_seated"
    assert JuryMember.objects.get(call=judged.call, juror=judged.chair).is_chair


def test_unseating_takes_untouched_sheets_and_assignments_with_it(judged):
    juror = judged.jurors[1]
    assignment = Assignment.objects.create(
        round=judged.round, submission=judged.entries[0], juror=juror
    )
    sheets.open_sheet(juror, assignment.pk)  # opened, nothing written
    seats.unseat_juror(judged.staff, judged.call, juror)
    assert not JuryMember.objects.filter(call=judged.call, juror=juror).exists()
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert not ScoreSheet.objects.filter(assignment_id=assignment.pk).exists()
    assert AuditEvent.objects.filter(action="jury.unseated", call=judged.call).exists()


def test_a_juror_with_a_scored_draft_is_not_unseated(judged):
    juror = judged.jurors[1]
    assignment = Assignment.objects.create(
        round=judged.round, submission=judged.entries[0], juror=juror
    )
    sheet = sheets.open_sheet(juror, assignment.pk)
    sheets.save_draft(
        juror,
        sheet.pk,
        scores=[{"criterion": "impact", "value": Decimal(7)}],
        version=sheet.version,
    )
    with pytest.raises(Conflict) as refused:
        seats.unseat_juror(judged.staff, judged.call, juror)
    assert refused.value.code == "has_scores"
    assert JuryMember.objects.filter(call=judged.call, juror=juror).exists()
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert not AuditEvent.objects.filter(action="jury.unseated").exists()
