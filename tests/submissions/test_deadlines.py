from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from submissions.deadlines import deadline_for, ensure_open, format_in_call_timezone
from submissions.errors import DeadlinePassed
from submissions.models import DeadlineExtension
from tests.factories import CallFactory, OrganizationFactory, SecretariatFactory

pytestmark = pytest.mark.django_db
MADRID = ZoneInfo("Europe/Madrid")


def test_one_second_before_the_deadline_is_open_and_one_after_is_closed():
    deadline = datetime(2014, 5, 30, 23, 59, 59, tzinfo=MADRID)
    call = CallFactory(opens_at=deadline - timedelta(days=90), deadline=deadline)
    organization = OrganizationFactory()
    ensure_open(call, organization, now=deadline - timedelta(seconds=1))
    ensure_open(call, organization, now=deadline)
    with pytest.raises(DeadlinePassed, match="30 May 2014 23:59 CEST"):
        ensure_open(call, organization, now=deadline + timedelta(seconds=1))


def test_deadline_is_an_instant_whatever_the_timezone_it_is_read_in():
    deadline = datetime(2014, 5, 30, 23, 59, 59, tzinfo=MADRID)
    call = CallFactory(opens_at=deadline - timedelta(days=90), deadline=deadline)
    # 21:59:59 UTC is the same instant as 23:59:59 in Madrid in summer.
    seoul_moment = datetime(2014, 5, 31, 6, 59, 58, tzinfo=ZoneInfo("Asia/Seoul"))
    ensure_open(call, None, now=seoul_moment)
    with pytest.raises(DeadlinePassed):
        ensure_open(call, None, now=datetime(2014, 5, 30, 22, 0, 0, tzinfo=ZoneInfo("UTC")))


def test_an_extension_for_one_organization_moves_only_its_deadline():
    call = CallFactory()
    favoured, other = OrganizationFactory(), OrganizationFactory()
    later = call.deadline + timedelta(days=3)
    DeadlineExtension.objects.create(
        call=call,
        organization=favoured,
        previous_deadline=call.deadline,
        deadline=later,
        reason="Strike at the post office",
        created_by=SecretariatFactory(),
    )
    assert deadline_for(call, favoured) == later
    assert deadline_for(call, other) == call.deadline
    moment = call.deadline + timedelta(days=1)
    ensure_open(call, favoured, now=moment)
    with pytest.raises(DeadlinePassed):
        ensure_open(call, other, now=moment)


def test_an_organization_extension_never_shortens_a_later_global_deadline():
    call = CallFactory()
    organization = OrganizationFactory()
    DeadlineExtension.objects.create(
        call=call,
        organization=organization,
        previous_deadline=call.deadline,
        deadline=call.deadline + timedelta(days=1),
        reason="r",
    )
    call.deadline = call.deadline + timedelta(days=5)
    call.save()
    assert deadline_for(call, organization) == call.deadline


def test_a_call_is_not_open_before_it_opens():
    call = CallFactory(opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(DeadlinePassed, match="opens on"):
        ensure_open(call, None)
    assert call.status == "upcoming"


def test_deadline_is_shown_in_the_calls_own_timezone():
    call = CallFactory(timezone="Asia/Kolkata")
    moment = datetime(2014, 10, 7, 4, 30, tzinfo=ZoneInfo("UTC"))
    assert format_in_call_timezone(call, moment) == "7 October 2014 10:00 IST"
