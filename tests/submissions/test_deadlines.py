from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from submissions.dates import format_in_call_timezone
from submissions.errors import DeadlinePassed
from submissions.models import DeadlineExtension
from submissions.rules import ensure_accepting_entries
from tests.factories import (
    CallFactory,
    CityContactFactory,
    OrganizationFactory,
    SecretariatFactory,
)
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db
MADRID = ZoneInfo("Europe/Madrid")


def test_one_second_before_the_deadline_is_open_and_one_after_is_closed():
    deadline = datetime(2014, 5, 30, 23, 59, 59, tzinfo=MADRID)
    call = CallFactory(opens_at=deadline - timedelta(days=90), deadline=deadline)
    organization = OrganizationFactory()
    ensure_accepting_entries(call, organization, now=deadline - timedelta(seconds=1))
    ensure_accepting_entries(call, organization, now=deadline)
    with pytest.raises(DeadlinePassed, match="30 May 2014 23:59 CEST"):
        ensure_accepting_entries(call, organization, now=deadline + timedelta(seconds=1))


def test_deadline_is_an_instant_whatever_the_timezone_it_is_read_in():
    deadline = datetime(2014, 5, 30, 23, 59, 59, tzinfo=MADRID)
    call = CallFactory(opens_at=deadline - timedelta(days=90), deadline=deadline)
    # 21:59:59 UTC is the same instant as 23:59:59 in Madrid in summer.
    seoul_moment = datetime(2014, 5, 31, 6, 59, 58, tzinfo=ZoneInfo("Asia/Seoul"))
    ensure_accepting_entries(call, None, now=seoul_moment)
    with pytest.raises(DeadlinePassed):
        ensure_accepting_entries(
            call, None, now=datetime(2014, 5, 30, 22, 0, 0, tzinfo=ZoneInfo("UTC"))
        )


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
    assert call.deadline_for(favoured) == later
    assert call.deadline_for(other) == call.deadline
    moment = call.deadline + timedelta(days=1)
    ensure_accepting_entries(call, favoured, now=moment)
    with pytest.raises(DeadlinePassed):
        ensure_accepting_entries(call, other, now=moment)


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
    assert call.deadline_for(organization) == call.deadline


def test_a_call_is_not_open_before_it_opens():
    call = CallFactory(opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(DeadlinePassed, match="opens on"):
        ensure_accepting_entries(call, None)
    assert call.status == "upcoming"


def test_deadline_is_shown_in_the_calls_own_timezone():
    call = CallFactory(timezone="Asia/Kolkata")
    moment = datetime(2014, 10, 7, 4, 30, tzinfo=ZoneInfo("UTC"))
    assert format_in_call_timezone(call, moment) == "7 October 2014 10:00 IST"


def test_a_call_stays_open_for_the_organization_whose_deadline_was_extended():
    """Call.status_at honours an organization's own extension (it once read only the call's
    deadline): the favoured city reads 'open' in the API while the others read 'closed'."""
    call = CallFactory()
    favoured, other = CityContactFactory(), CityContactFactory()
    DeadlineExtension.objects.create(
        call=call,
        organization=favoured.organization,
        previous_deadline=call.deadline,
        deadline=call.deadline + timedelta(days=3),
        reason="Strike at the post office",
    )
    moment = call.deadline + timedelta(days=1)
    assert call.status_at(moment, favoured.organization) == "open"
    assert call.status_at(moment, other.organization) == "closed"
    assert call.status_at(moment) == "closed"  # for everyone else
    call.deadline = timezone.now() - timedelta(minutes=1)
    call.save()
    DeadlineExtension.objects.filter(call=call).update(deadline=timezone.now() + timedelta(days=2))
    read = {
        who.username: client_for(who).get(f"/api/v1/calls/{call.slug}/").json()["status"]
        for who in (favoured, other)
    }
    assert read == {favoured.username: "open", other.username: "closed"}
