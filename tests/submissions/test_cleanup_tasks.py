"""The scheduler's housekeeping (issue 11, item 1): abandoned and refused uploads, and
expired sessions, removed by the tasks beat runs."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from submissions import tasks
from submissions.models import Attachment
from tests.factories import CityContactFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def attachment(entry, state: str, hours_ago: float) -> Attachment:
    made = Attachment.objects.create(
        submission=entry,
        kind="annex",
        original_name=f"{state}.pdf",
        content_type="application/pdf",
        size=10,
        state=state,
    )
    Attachment.objects.filter(pk=made.pk).update(
        created_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return made


def test_old_abandoned_and_refused_uploads_go_and_everything_else_stays():
    entry = SubmissionFactory(organization=CityContactFactory().organization)
    kept = [
        attachment(entry, "complete", 48),
        attachment(entry, "verifying", 48),
        attachment(entry, "pending", 1),
    ]
    attachment(entry, "pending", 48)
    attachment(entry, "rejected", 48)
    assert tasks.cleanup_uploads.apply().get() == 2
    assert tasks.cleanup_uploads.apply().get() == 0
    assert set(Attachment.objects.values_list("pk", flat=True)) == {a.pk for a in kept}


def test_expired_sessions_are_cleared(client):
    client.force_login(CityContactFactory())
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    tasks.clear_expired_sessions.apply().get()
    assert Session.objects.count() == 1  # the live one
