"""Settling the cut with more reviews: the service's preview and apply (scoring.extra_reviews)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jury.models import Assignment, Conflict
from scoring import extra_reviews, results
from scoring.models import Score, ScoreSheet
from submissions.errors import Conflict as ConflictError
from submissions.errors import DomainError, NotAllowed
from submissions.models import AuditEvent, OutboxMessage
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db

TOP = 3


@pytest.fixture
def cut():
    return JudgedCall.at_the_cut()


def plan(world, k, user=None, **options):
    return extra_reviews.extra_reviews(
        user or world.staff, world.call, world.round, k, top_n=TOP, **options
    )


def active_pairs(world) -> set[tuple[int, int]]:
    rows = Assignment.objects.filter(round=world.round, declined_at__isnull=True)
    return set(rows.values_list("submission_id", "juror_id"))


def test_the_uncertain_entries_are_those_close_at_the_cut(cut):
    answer = results.results_for(cut.staff, cut.call, cut.round, top_n=TOP)
    odds = {row["submission"]: row["p_top"] for row in answer["ranking"]}
    clear_in, clear_out = cut.entries[0].pk, cut.entries[7].pk
    assert odds[clear_in] == 1.0 and odds[clear_out] == 0.0
    assert answer["top_n"] == TOP
    assert clear_in not in answer["at_the_cut"] and clear_out not in answer["at_the_cut"]
    middle = {e.pk for e in cut.entries[2:6]}
    assert set(answer["at_the_cut"]) <= middle and len(answer["at_the_cut"]) >= 2
    closeness = [abs(odds[s] - 0.5) for s in answer["at_the_cut"]]
    assert closeness == sorted(closeness)  # the closest to even odds first


def test_a_dry_run_writes_nothing(cut):
    before = (active_pairs(cut), AuditEvent.objects.count(), OutboxMessage.objects.count())
    preview = plan(cut, 3)
    assert not preview.applied and len(preview.new_pairs) == 3
    after = (active_pairs(cut), AuditEvent.objects.count(), OutboxMessage.objects.count())
    assert after == before


def test_the_extra_reviews_go_to_uncertain_entries_and_new_readers(cut):
    preview = plan(cut, 4)
    uncertain = {entry.submission for entry in preview.entries}
    existing = active_pairs(cut)
    for entry, juror in preview.new_pairs:
        assert entry in uncertain and (entry, juror) not in existing
    assert sum(len(e.new_readers) for e in preview.entries) == 4
    for juror, (before, after) in preview.loads.items():
        assert after - before == sum(1 for _s, j in preview.new_pairs if j == juror)


def test_apply_creates_exactly_the_previewed_plan_audited_and_notified(cut):
    preview = plan(cut, 3)
    before = active_pairs(cut)
    mail_before = OutboxMessage.objects.count()
    applied = plan(cut, 3, dry_run=False, expected_plan=preview.plan_id)
    assert applied.applied and applied.new_pairs == preview.new_pairs
    assert active_pairs(cut) - before == set(preview.new_pairs)
    event = AuditEvent.objects.get(action="assignment.extra_reviews")
    assert event.actor == cut.staff and event.data["k"] == 3 and event.data["top_n"] == TOP
    assert sorted(map(tuple, event.data["new_pairs"])) == preview.new_pairs
    jurors = {j for _s, j in preview.new_pairs}
    assert OutboxMessage.objects.count() - mail_before == len(jurors)


def test_applying_again_adds_nothing_the_reviews_are_under_way(cut):
    plan(cut, 3, dry_run=False)
    count = Assignment.objects.count()
    again = plan(cut, 3, dry_run=False)
    assert again.new_pairs == [] and Assignment.objects.count() == count
    assert any(entry.left_out == extra_reviews.UNDER_WAY for entry in again.entries)
    more = plan(cut, 5)  # a larger k adds the difference only
    assert len(more.new_pairs) == 2


def test_an_apply_after_the_plan_changed_is_refused(cut):
    preview = plan(cut, 2)
    plan(cut, 2, dry_run=False)
    with pytest.raises(ConflictError) as refused:
        plan(cut, 3, dry_run=False, expected_plan=preview.plan_id)
    assert refused.value.code == "plan_changed"


def test_conflicted_jurors_never_get_an_extra_review(cut):
    preview = plan(cut, 2)
    entry, juror = preview.new_pairs[0]
    Conflict.objects.create(
        call=cut.call, submission_id=entry, juror_id=juror, source="declared", rule="declared"
    )
    again = plan(cut, 2)
    assert (entry, juror) not in again.new_pairs and len(again.new_pairs) == 2
    conflicts = set(Conflict.objects.values_list("submission_id", "juror_id"))
    applied = plan(cut, 6, dry_run=False)
    assert not set(applied.new_pairs) & conflicts


def test_k_must_be_a_sensible_number(cut):
    for bad in (-1, 0, "two", "", None, 1.5, True):
        with pytest.raises(DomainError) as refused:
            plan(cut, bad)
        assert refused.value.code == "bad_k" and "k" in refused.value.fields
    with pytest.raises(DomainError) as too_many:
        plan(cut, 999)
    assert too_many.value.code == "too_many_reviews"
    assert "At most" in too_many.value.message


def test_a_released_or_closed_round_takes_no_more_reviews(cut):
    cut.round.jury_deadline = timezone.now() - timedelta(minutes=1)
    cut.round.save()
    with pytest.raises(ConflictError) as closed:
        plan(cut, 2)
    assert closed.value.code == "round_closed"
    results.release(cut.staff, cut.round)
    cut.round.refresh_from_db()
    with pytest.raises(ConflictError) as released:
        plan(cut, 2)
    assert released.value.code == "round_released"


def test_a_release_between_the_preview_and_the_apply_stops_the_apply(cut):
    """The page previewed with the round as it was; the secretariat released it meanwhile."""
    stale = cut.round  # read before the release, as the Apply request's round was
    plan(cut, 2)
    before = active_pairs(cut)
    results.release(cut.staff, type(stale).objects.get(pk=stale.pk))
    with pytest.raises(ConflictError) as released:
        extra_reviews.extra_reviews(cut.staff, cut.call, stale, 2, top_n=TOP, dry_run=False)
    assert released.value.code == "round_released"
    assert active_pairs(cut) == before


def test_only_those_who_run_the_jury_ask_for_reviews(cut):
    for outsider in (cut.jurors[1], cut.board):
        with pytest.raises(NotAllowed):
            plan(cut, 2, user=outsider)
    assert plan(cut, 2, user=cut.chair).new_pairs


def test_a_conflicted_chair_neither_sees_nor_moves_the_conflicted_entry(cut):
    preview = plan(cut, 2)
    hidden = preview.entries[0].submission
    Conflict.objects.create(
        call=cut.call, submission_id=hidden, juror=cut.chair, source="declared", rule="declared"
    )
    chair_plan = plan(cut, 2, user=cut.chair, dry_run=False)
    assert hidden not in [entry.submission for entry in chair_plan.entries]
    assert hidden not in [entry for entry, _j in chair_plan.new_pairs]


def test_a_plan_reads_the_database_a_fixed_number_of_times(cut):
    with CaptureQueriesContext(connection) as small:
        plan(cut, 2)
    for number in range(6):  # more entries at the cut, read by other jurors
        entry = cut.add_entry()
        for offset in (0, 1):
            juror = cut.jurors[(number + offset) % len(cut.jurors)]
            assignment = Assignment.objects.create(round=cut.round, submission=entry, juror=juror)
            sheet = ScoreSheet.objects.create(assignment=assignment, status="submitted")
            Score.objects.create(sheet=sheet, criterion=cut.criteria[0], value=5 + offset)
    with CaptureQueriesContext(connection) as large:
        bigger = plan(cut, 6)
    assert len(bigger.entries) > 2 and len(bigger.new_pairs) == 6
    assert len(large.captured_queries) == len(small.captured_queries)
