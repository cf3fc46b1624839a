"""Each rule of submissions/rules.py, and its filter form where it has one, say the same thing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from submissions import rules
from submissions.models import Call, Submission
from tests.factories import CallFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def test_announced_as_a_filter_agrees_with_the_predicate():
    now = timezone.now()
    calls = [
        CallFactory(announcement_at=None),
        CallFactory(announcement_at=now - timedelta(minutes=1)),
        CallFactory(announcement_at=now + timedelta(minutes=1)),
    ]
    filtered = set(Call.objects.filter(rules.announced(now=now)).values_list("pk", flat=True))
    assert filtered == {call.pk for call in calls if rules.is_announced(call, now)}
    entries = [SubmissionFactory(call=call) for call in calls]
    through = set(
        Submission.objects.filter(rules.announced("call__", now)).values_list("pk", flat=True)
    )
    assert through == {entry.pk for entry in entries if rules.is_announced(entry.call, now)}


def test_the_statuses_of_judging_nest_as_their_names_say():
    assert rules.VERDICT_STATUSES < rules.JUDGED_STATUSES
    assert "eligible" in rules.JUDGED_STATUSES and "eligible" not in rules.VERDICT_STATUSES
    assert rules.NEUTRAL_STATUS not in Submission.Status.values
    assert "withdrawn" not in rules.COUNTED_STATUSES and "draft" in rules.COUNTED_STATUSES
    assert rules.may_withdraw(Submission(status="submitted"))
    assert not rules.may_withdraw(Submission(status="eligible"))


def test_a_call_accepts_entries_from_its_opening_to_the_deadline_in_force():
    call = CallFactory()
    assert rules.accepts_entries(call, None, call.opens_at)
    assert rules.accepts_entries(call, None, call.deadline)
    assert not rules.accepts_entries(call, None, call.opens_at - timedelta(seconds=1))
    assert not rules.accepts_entries(call, None, call.deadline + timedelta(seconds=1))
