from datetime import timedelta

import pytest
from django.core import mail

from submissions.models import AuditEvent, User
from tests.factories import (
    PASSWORD,
    CallFactory,
    CityContactFactory,
    OrganizationFactory,
    SecretariatFactory,
    SubmissionFactory,
)
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


def test_a_global_extension_moves_the_deadline_keeps_history_and_emails_cities_with_drafts(
    django_capture_on_commit_callbacks,
):
    call = CallFactory()
    with_draft, submitted = CityContactFactory(), CityContactFactory()
    SubmissionFactory(call=call, organization=with_draft.organization)
    SubmissionFactory(call=call, organization=submitted.organization, status="submitted")
    new = call.deadline + timedelta(days=30)
    staff = client_for(SecretariatFactory())
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.post(
            f"/api/v1/calls/{call.slug}/extend-deadline/",
            {"deadline": new.isoformat(), "reason": "Many cities asked"},
            format="json",
        )
    assert answer.status_code == 201, answer.json()
    call.refresh_from_db()
    assert call.deadline == new
    history = staff.get(f"/api/v1/calls/{call.slug}/deadline-history/").json()
    assert [h["reason"] for h in history] == ["Many cities asked"]
    assert [m.to for m in mail.outbox] == [[with_draft.email]]
    assert AuditEvent.objects.filter(action="call.deadline_extended").count() == 1


def test_an_extension_for_one_city_is_invisible_to_the_others():
    call = CallFactory()
    favoured, other = CityContactFactory(), CityContactFactory()
    new = call.deadline + timedelta(days=3)
    staff = client_for(SecretariatFactory())
    answer = staff.post(
        f"/api/v1/calls/{call.slug}/extend-deadline/",
        {
            "deadline": new.isoformat(),
            "reason": "Flooding",
            "organization": favoured.organization_id,
        },
        format="json",
    )
    assert answer.status_code == 201
    call.refresh_from_db()
    assert call.deadline < new
    assert (
        client_for(favoured).get(f"/api/v1/calls/{call.slug}/").json()["my_deadline"]
        != client_for(other).get(f"/api/v1/calls/{call.slug}/").json()["my_deadline"]
    )
    assert client_for(other).get(f"/api/v1/calls/{call.slug}/deadline-history/").json() == []


def test_an_extension_must_be_later_and_have_a_reason_and_come_from_staff():
    call = CallFactory()
    staff = client_for(SecretariatFactory())
    earlier = staff.post(
        f"/api/v1/calls/{call.slug}/extend-deadline/",
        {"deadline": (call.deadline - timedelta(days=1)).isoformat(), "reason": "x"},
        format="json",
    )
    assert earlier.status_code == 400 and "later than" in earlier.json()["error"]["message"]
    no_reason = staff.post(
        f"/api/v1/calls/{call.slug}/extend-deadline/",
        {"deadline": (call.deadline + timedelta(days=1)).isoformat(), "reason": ""},
        format="json",
    )
    assert no_reason.status_code == 400
    city = client_for(CityContactFactory()).post(
        f"/api/v1/calls/{call.slug}/extend-deadline/",
        {"deadline": (call.deadline + timedelta(days=1)).isoformat(), "reason": "please"},
        format="json",
    )
    assert city.status_code == 403


def test_calls_show_the_deadline_in_their_own_timezone_and_their_status():
    call = CallFactory(timezone="America/Argentina/Buenos_Aires")
    data = client_for(CityContactFactory()).get(f"/api/v1/calls/{call.slug}/").json()
    assert data["deadline_in_call_timezone"].endswith("-03:00")
    assert data["status"] == "open"


def test_only_the_secretariat_manages_organizations_and_users():
    city = client_for(CityContactFactory())
    assert city.get("/api/v1/organizations/").status_code == 403
    assert city.post("/api/v1/users/", {"username": "x"}, format="json").status_code == 403


def test_the_secretariat_creates_a_contact_with_an_emailed_invitation_link(
    client, django_capture_on_commit_callbacks
):
    staff = client_for(SecretariatFactory())
    organization = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.post(
            "/api/v1/users/",
            {
                "username": "lagos",
                "email": "lagos@example.org",
                "role": "city_contact",
                "organization": organization.pk,
                "send_invitation": True,
            },
            format="json",
        )
    assert answer.status_code == 201, answer.json()
    user = User.objects.get(username="lagos")
    assert not user.has_usable_password()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver")[-1] if "testserver" in link else link[link.index("/accounts") :]
    page = client.get(path, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else path
    done = client.post(
        form_url,
        {"new_password1": "Hyderabad-2014-congress", "new_password2": "Hyderabad-2014-congress"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Hyderabad-2014-congress")


def test_a_city_contact_needs_an_organization():
    staff = client_for(SecretariatFactory())
    answer = staff.post(
        "/api/v1/users/",
        {"username": "x", "role": "city_contact", "password": "s3cret-enough"},
        format="json",
    )
    assert answer.status_code == 400
    assert "organization" in answer.json()["error"]["fields"]


def test_token_authentication(api):
    user = CityContactFactory()
    answer = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    assert api.get("/api/v1/me/").json()["username"] == user.username
    wrong = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": "nope"}, format="json"
    )
    assert wrong.status_code == 400


def test_the_openapi_schema_and_docs_are_served(api):
    assert api.get("/api/v1/schema/").status_code == 200
    assert api.get("/api/v1/docs/").status_code == 200
    _ = CallFactory


def test_an_organization_still_in_use_cannot_be_deleted_and_says_why():
    contact = CityContactFactory()
    staff = client_for(SecretariatFactory())
    answer = staff.delete(f"/api/v1/organizations/{contact.organization_id}/")
    assert answer.status_code == 409 and "still used" in answer.json()["error"]["message"]
    unused = OrganizationFactory()
    assert staff.delete(f"/api/v1/organizations/{unused.pk}/").status_code == 204


def test_calls_cannot_be_deleted_through_the_api():
    call = CallFactory()
    answer = client_for(SecretariatFactory()).delete(f"/api/v1/calls/{call.slug}/")
    assert answer.status_code == 405


def test_dates_outside_any_plausible_year_are_refused():
    staff = client_for(SecretariatFactory())
    answer = staff.post(
        "/api/v1/calls/",
        {
            "slug": "far",
            "kind": "award",
            "title": "Far",
            "opens_at": "2030-01-01T00:00:00Z",
            "deadline": "2500-12-31T23:59:59Z",
        },
        format="json",
    )
    assert answer.status_code == 400 and "2100" in answer.json()["error"]["message"]
    call = CallFactory()
    moved = staff.post(
        f"/api/v1/calls/{call.slug}/extend-deadline/",
        {"deadline": "0001-01-02T00:00:00Z", "reason": "x"},
        format="json",
    )
    assert moved.status_code == 400
    assert staff.get("/api/v1/calls/").status_code == 200
