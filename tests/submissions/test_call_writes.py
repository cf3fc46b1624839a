"""A call is created and changed through one service (submissions.services.create_call and
update_call) from the API, the pages and the admin: the same checks, and an audit event for each
change, the announcement date included (it decides when cities and the public learn verdicts)."""

import json
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from submissions import services
from submissions.errors import DomainError
from submissions.models import AuditEvent, Call
from tests.factories import CallFactory, SecretariatFactory
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


def _events(call, action):
    return list(AuditEvent.objects.filter(call=call, action=action).order_by("id"))


def test_changing_the_announcement_through_the_api_is_audited_with_old_and_new():
    call = CallFactory()
    staff = SecretariatFactory()
    moment = timezone.now() + timedelta(days=40)
    answer = client_for(staff).patch(
        f"/api/v1/calls/{call.slug}/", {"announcement_at": moment.isoformat()}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    [event] = _events(call, "call.announcement_set")
    assert event.actor == staff and event.data["old"] is None
    saved = Call.objects.get(pk=call.pk).announcement_at
    assert datetime.fromisoformat(event.data["new"]) == saved
    [changed] = _events(call, "call.updated")
    assert list(changed.data["changes"]) == ["announcement_at"]


def test_creating_a_call_through_the_api_is_audited():
    staff = client_for(SecretariatFactory())
    now = timezone.now()
    answer = staff.post(
        "/api/v1/calls/",
        {
            "slug": "award-2030",
            "kind": "award",
            "title": "Award 2030",
            "opens_at": now.isoformat(),
            "deadline": (now + timedelta(days=30)).isoformat(),
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    [event] = _events(Call.objects.get(slug="award-2030"), "call.created")
    assert event.data["slug"] == "award-2030"


def test_changing_the_announcement_on_the_page_is_audited_once():
    call = CallFactory()
    staff = SecretariatFactory()
    page = Client()
    page.force_login(staff)
    form = page.get(f"/secretariat/calls/{call.slug}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "deadline"}
    local = timezone.localtime(call.opens_at, call.tzinfo)
    data.update(
        {
            "opens_at": local.strftime("%Y-%m-%dT%H:%M"),
            "themes": "\n".join(call.themes),
            "required_document_kinds": "",
            "announcement_at": "2030-06-01T12:00",
        }
    )
    answer = page.post(f"/secretariat/calls/{call.slug}/edit/", data)
    assert answer.status_code == 302, answer.content.decode()[:1500]
    [event] = _events(call, "call.announcement_set")
    local = timezone.localtime(datetime.fromisoformat(event.data["new"]), call.tzinfo)
    assert event.data["old"] is None and local.strftime("%Y-%m-%d %H:%M") == "2030-06-01 12:00"


def test_the_deadline_never_moves_through_a_call_update():
    call = CallFactory()
    with pytest.raises(DomainError) as refused:
        services.update_call(SecretariatFactory(), call, deadline=call.deadline + timedelta(days=3))
    assert "deadline" in refused.value.fields
    assert Call.objects.get(pk=call.pk).deadline == call.deadline


def test_changing_a_call_in_the_admin_goes_through_the_service(client):
    call = CallFactory()
    staff = SecretariatFactory(is_superuser=True)
    client.force_login(staff)
    url = f"/admin/submissions/call/{call.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list):
            value = json.dumps(value)
        data[name] = value
    for name in ("opens_at", "announcement_at"):
        moment = getattr(call, name) or (call.deadline + timedelta(days=30))
        local = timezone.localtime(moment)
        data[f"{name}_0"], data[f"{name}_1"] = (
            local.strftime("%Y-%m-%d"),
            local.strftime("%H:%M:%S"),
        )
    data["title"] = "Renamed in the admin"
    data.update({"extensions-TOTAL_FORMS": 0, "extensions-INITIAL_FORMS": 0})
    answer = client.post(url, data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    assert Call.objects.get(pk=call.pk).title == "Renamed in the admin"
    [changed] = _events(call, "call.updated")
    assert set(changed.data["changes"]) >= {"title", "announcement_at"}
    assert len(_events(call, "call.announcement_set")) == 1
