"""The list pages make the same number of queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jury.models import Assignment
from tests.factories import (
    EligibleSubmissionFactory,
    OrganizationFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_jurors_workspace_does_not_grow_with_assignments(page, make_scene):
    scene = make_scene(entries=3, jurors=2)
    scene.assign(per_entry=2)
    juror = scene.jurors[1]
    client = page(juror)
    few = _queries(client, "/juror/")
    for _ in range(6):
        entry = EligibleSubmissionFactory(call=scene.call, organization=OrganizationFactory())
        Assignment.objects.create(round=scene.round, submission=entry, juror=juror)
    assert _queries(client, "/juror/") == few


def test_the_city_portal_does_not_grow_with_entries(page, city):
    contact, call = city
    client = page(contact)
    SubmissionFactory(call=call, organization=contact.organization)
    few = _queries(client, "/city/")
    for _ in range(5):
        SubmissionFactory(call=call, organization=contact.organization)
    assert _queries(client, "/city/") == few


def test_the_eligibility_review_does_not_grow_with_entries(page, scene):
    client = page(scene.staff)
    url = f"/secretariat/calls/{scene.call.slug}/eligibility/"
    few = _queries(client, url)
    for _ in range(5):
        SubmissionFactory(call=scene.call, status="submitted", organization=OrganizationFactory())
    assert _queries(client, url) == few
