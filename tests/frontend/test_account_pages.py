"""Issue 10, item 12: no self-service reset route that anyone can make send mail, and the
invitation and password pages are the platform's own, in English, French and Spanish."""

import pytest
from django.core import mail
from django.test import Client

from submissions import members
from tests.factories import PASSWORD, CityContactFactory, SecretariatFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "en": ("Choose your password", "Ask the secretariat for a new invitation."),
    "fr": ("Choisissez votre mot de passe", "Demandez une nouvelle invitation au secrétariat."),
    "es": ("Elija su contraseña", "Pida una nueva invitación a la secretaría."),
}


def _templates(response) -> list[str]:
    return [template.name for template in response.templates]


def test_nobody_can_make_the_platform_email_reset_links_in_a_row():
    contact = CityContactFactory(email="berlin@example.org")
    browser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        answer = browser.post("/accounts/password_reset/", {"email": contact.email})
        assert answer.status_code == 404
    assert browser.get("/accounts/password_reset/done/").status_code == 404
    assert mail.outbox == []


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_invitation_link_opens_the_platforms_own_page_in_the_visitors_language(language):
    contact = CityContactFactory()
    link = members.set_password_link(contact).split("testserver")[-1]
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    page = browser.get(link, follow=True)
    assert page.status_code == 200
    assert "frontend/accounts/set_password.html" in _templates(page)
    assert not any(name.startswith("admin/") for name in _templates(page))
    heading, _expired = PAGES[language]
    html = page.content.decode()
    assert heading in html and "Django" not in html
    chosen = browser.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Hyderabad-2014-congress", "new_password2": "Hyderabad-2014-congress"},
        follow=True,
    )
    assert "frontend/accounts/set_password_done.html" in _templates(chosen)
    contact.refresh_from_db()
    assert contact.check_password("Hyderabad-2014-congress")


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_used_invitation_link_says_what_to_do_in_the_visitors_language(language):
    contact = CityContactFactory()
    link = members.set_password_link(contact).split("testserver")[-1]
    contact.set_password("Something-else-2014")
    contact.save()  # the link's token no longer matches
    page = Client(HTTP_ACCEPT_LANGUAGE=language).get(link, follow=True)
    assert "frontend/accounts/set_password.html" in _templates(page)
    assert PAGES[language][1] in page.content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_sign_in_page_tells_what_the_platform_does_for_a_forgotten_password(language):
    page = Client(HTTP_ACCEPT_LANGUAGE=language).get("/accounts/login/")
    html = page.content.decode()
    assert PAGES[language][1] in html
    assert "password_reset" not in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Change your password"),
        ("fr", "Changez votre mot de passe"),
        ("es", "Cambie su contraseña"),
    ],
)
def test_the_password_change_page_speaks_the_visitors_language(language, heading):
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    browser.force_login(CityContactFactory())
    html = browser.get("/accounts/password_change/").content.decode()
    assert heading in html and 'href="/accounts/password_change/"' in html


def test_a_signed_in_person_changes_their_password_on_the_platforms_page():
    contact = CityContactFactory()
    browser = Client()
    browser.force_login(contact)
    page = browser.get("/accounts/password_change/")
    assert "frontend/accounts/password_change.html" in _templates(page)
    assert not any(name.startswith("admin/") for name in _templates(page))
    done = browser.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Hyderabad-2014-congress",
            "new_password2": "Hyderabad-2014-congress",
        },
        follow=True,
    )
    assert "frontend/accounts/password_change_done.html" in _templates(done)
    assert browser.get("/city/").status_code == 200  # this session stays signed in


def test_the_secretariat_resets_a_forgotten_password_with_a_new_invitation(
    as_user, django_capture_on_commit_callbacks
):
    contact = CityContactFactory()
    with django_capture_on_commit_callbacks(execute=True):
        answer = as_user(SecretariatFactory()).post(f"/api/v1/users/{contact.pk}/invite/")
    assert answer.status_code == 204
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body
