"""Each role's pages open for that role, send visitors to sign in and refuse everyone else."""

import pytest

from tests.factories import BoardFactory, CityContactFactory, JurorFactory, SecretariatFactory

pytestmark = pytest.mark.django_db

ROLES = {
    "city": CityContactFactory,
    "juror": JurorFactory,
    "secretariat": SecretariatFactory,
    "board": BoardFactory,
}
PAGES = {
    "/city/": {"city"},
    "/juror/": {"juror"},
    "/secretariat/": {"secretariat"},
    "/secretariat/calls/new/": {"secretariat"},
    "/board/": {"board", "secretariat"},
}


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_a_page_opens_for_its_roles_and_refuses_the_others(page, url, role):
    response = page(ROLES[role]()).get(url)
    expected = 200 if role in PAGES[url] else 403
    assert response.status_code == expected
    if expected == 403:
        assert "This page is not for your account" in response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_a_visitor_is_asked_to_sign_in_first(page, url):
    response = page().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(
    ("role", "home"),
    [
        ("city", "/city/"),
        ("juror", "/juror/"),
        ("secretariat", "/secretariat/"),
        ("board", "/board/"),
    ],
)
def test_the_front_door_sends_each_role_to_its_work(page, role, home):
    response = page(ROLES[role]()).get("/")
    assert response.status_code == 302 and response["Location"] == home


def test_signing_in_lands_on_the_role_home(page):
    from tests.factories import PASSWORD

    contact = CityContactFactory()
    client = page()
    response = client.post(
        "/accounts/login/", {"username": contact.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/city/"
    wrong = page().post("/accounts/login/", {"username": contact.username, "password": "nope"})
    assert "The user name or the password is not right" in wrong.content.decode()


def test_every_page_has_a_skip_link_a_language_and_a_main_landmark(page):
    html = page().get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_the_sign_in_page_stops_password_guessing(client, settings):
    from tests.factories import PASSWORD, CityContactFactory

    settings.LOGIN_MAX_FAILURES = 3
    user = CityContactFactory()
    for _ in range(3):
        wrong = client.post("/accounts/login/", {"username": user.username, "password": "guess"})
        assert wrong.status_code == 200 and not wrong.wsgi_request.user.is_authenticated
    blocked = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert blocked.status_code == 200
    assert "Too many failed sign-in attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_navigation_marks_the_current_section_with_a_plain_aria_current(page):
    html = page(SecretariatFactory()).get("/secretariat/").content.decode()
    assert 'href="/secretariat/" aria-current="page">' in html
    assert "aria-current=&quot;" not in html
