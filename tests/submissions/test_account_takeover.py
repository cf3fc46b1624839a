"""Issue 10, item 1: only a superuser changes a superuser or a staff account, through the API
and the admin; a new password revokes the account's API tokens and its other sessions."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from submissions.models import Role, User
from tests.factories import PASSWORD, CityContactFactory, SecretariatFactory
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Taken-over-2014!"


def superuser() -> User:
    return SecretariatFactory(username="root", is_superuser=True)


def test_a_secretariat_member_cannot_set_a_superusers_password_and_sign_in_as_them():
    root = superuser()
    staff = client_for(SecretariatFactory())
    answer = staff.post(
        f"/api/v1/users/{root.pk}/set-password/", {"password": NEW_PASSWORD}, format="json"
    )
    assert answer.status_code == 403
    assert "Only a superuser" in answer.json()["error"]["message"]
    root.refresh_from_db()
    assert root.check_password(PASSWORD)
    admin = Client()
    assert not admin.login(username="root", password=NEW_PASSWORD)
    signed_in = admin.post("/admin/login/", {"username": "root", "password": NEW_PASSWORD})
    assert signed_in.status_code == 200  # the form again, not the admin's index


@pytest.mark.parametrize(
    "change",
    [
        {"is_active": False},
        {"email": "attacker@evil.example"},
        {"role": "city_contact", "organization": None},
        {"password": NEW_PASSWORD},
    ],
    ids=["deactivate", "email", "role", "password"],
)
def test_a_secretariat_member_cannot_change_a_superuser_or_a_colleague(change):
    staff = client_for(SecretariatFactory())
    for target in (superuser(), SecretariatFactory()):
        before = User.objects.get(pk=target.pk)
        answer = staff.patch(f"/api/v1/users/{target.pk}/", change, format="json")
        assert answer.status_code == 403, answer.json()
        after = User.objects.get(pk=target.pk)
        assert (after.is_active, after.email, after.role, after.password) == (
            before.is_active,
            before.email,
            before.role,
            before.password,
        )
        invite = staff.post(f"/api/v1/users/{target.pk}/invite/")
        assert invite.status_code == 403


def test_a_secretariat_member_cannot_make_an_account_privileged():
    staff = client_for(SecretariatFactory())
    contact = CityContactFactory()
    promoted = staff.patch(f"/api/v1/users/{contact.pk}/", {"role": "secretariat"}, format="json")
    assert promoted.status_code == 403
    assert User.objects.get(pk=contact.pk).role == Role.CITY_CONTACT
    created = staff.post(
        "/api/v1/users/",
        {"username": "mole", "role": "secretariat", "password": "Hyderabad-2014!"},
        format="json",
    )
    assert created.status_code == 403
    assert not User.objects.filter(username="mole").exists()


def test_the_secretariat_still_manages_city_contacts_and_a_superuser_manages_staff():
    contact = CityContactFactory()
    staff = client_for(SecretariatFactory())
    assert staff.patch(f"/api/v1/users/{contact.pk}/", {"first_name": "Ada"}).status_code == 200
    colleague = SecretariatFactory()
    root = client_for(superuser())
    answer = root.post(
        f"/api/v1/users/{colleague.pk}/set-password/", {"password": NEW_PASSWORD}, format="json"
    )
    assert answer.status_code == 204
    colleague.refresh_from_db()
    assert colleague.check_password(NEW_PASSWORD)


def test_a_new_password_revokes_the_accounts_tokens_and_other_sessions(api):
    contact = CityContactFactory()
    token = api.post(
        "/api/v1/auth/token/", {"username": contact.username, "password": PASSWORD}, format="json"
    ).json()["token"]
    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert with_token.get("/api/v1/me/").status_code == 200
    browser = Client()
    assert browser.login(username=contact.username, password=PASSWORD)
    assert browser.get("/city/").status_code == 200

    staff = client_for(SecretariatFactory())
    answer = staff.post(
        f"/api/v1/users/{contact.pk}/set-password/", {"password": NEW_PASSWORD}, format="json"
    )
    assert answer.status_code == 204
    refused = with_token.get("/api/v1/me/")
    assert refused.status_code in (401, 403)
    assert "Invalid token" in refused.json()["error"]["message"]
    assert not Token.objects.filter(user=contact).exists()
    assert browser.get("/city/").status_code == 302  # signed out: back to the sign-in page


def test_a_superuser_changing_their_own_password_keeps_their_own_session():
    root = superuser()
    browser = Client()
    browser.force_login(root)
    answer = browser.post(
        f"/api/v1/users/{root.pk}/set-password/",
        {"password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert answer.status_code == 204
    assert browser.get("/api/v1/me/").status_code == 200


def _admin_staff() -> Client:
    """A secretariat member who may use the admin and holds every permission on accounts."""
    staff = SecretariatFactory()
    staff.user_permissions.set(Permission.objects.filter(content_type__model="user"))
    browser = Client()
    browser.force_login(staff)
    return browser


def test_the_admin_refuses_a_non_superuser_changing_a_superuser():
    root = superuser()
    browser = _admin_staff()
    password_page = browser.post(
        f"/admin/submissions/user/{root.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert password_page.status_code == 403
    change = browser.post(
        f"/admin/submissions/user/{root.pk}/change/",
        {"username": "root", "email": "attacker@evil.example", "is_active": ""},
    )
    assert change.status_code == 403
    root.refresh_from_db()
    assert root.check_password(PASSWORD) and root.is_active
    assert root.email != "attacker@evil.example"


def test_the_admin_does_not_let_a_non_superuser_grant_superuser_or_staff_status():
    contact = CityContactFactory()
    browser = _admin_staff()
    page = browser.get(f"/admin/submissions/user/{contact.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert field not in form.fields, field
    assert "secretariat" not in dict(form.fields["role"].choices)
    browser.post(
        f"/admin/submissions/user/{contact.pk}/change/",
        {
            "username": contact.username,
            "email": contact.email,
            "role": "city_contact",
            "organization": contact.organization_id,
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "date_joined_0": "2014-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    contact.refresh_from_db()
    assert not contact.is_superuser and not contact.is_staff
