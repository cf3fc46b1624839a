"""Issue 10, items 2, 3 and 4: one lockout for every sign-in path (the pages, the API token,
the admin), counted per account whatever the spelling, and per address against spraying;
successful sign-ins never count."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD, CityContactFactory, SecretariatFactory

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-in attempts"


@pytest.fixture
def limits(settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 10
    return settings


def token(client, username, password):
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def page_sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("spelling", [" {}", "{} ", "\t{}", "{}\n", "\u00a0{}", "\u3000{}"])
def test_no_spelling_of_the_name_gets_fresh_guesses_on_the_api(limits, spelling):
    user = CityContactFactory(username="berlin")
    api = APIClient(REMOTE_ADDR="203.0.113.1")
    for name in ("berlin", spelling.format("berlin"), spelling.format("berlin")):
        assert token(api, name, "guess").status_code == 400
    for name in (spelling.format("berlin"), "berlin"):
        blocked = token(api, name, PASSWORD)
        assert blocked.status_code == 429, blocked.json()
        assert LOCKED in blocked.json()["error"]["message"]
    assert not hasattr(user, "auth_token")  # no token was ever handed out


def test_no_spelling_of_the_name_gets_fresh_guesses_on_the_sign_in_page(limits):
    CityContactFactory(username="berlin")
    browser = Client(REMOTE_ADDR="203.0.113.2")
    for name in (" berlin", "berlin ", "\tberlin"):
        assert not signed_in(browser) and page_sign_in(browser, name, "guess").status_code == 200
    answer = page_sign_in(browser, "berlin", PASSWORD)
    assert LOCKED in answer.content.decode()
    assert not signed_in(browser)


def test_failures_on_one_path_count_on_the_others(limits):
    CityContactFactory(username="berlin")
    page_sign_in(Client(REMOTE_ADDR="198.51.100.1"), " berlin", "guess")
    token(APIClient(REMOTE_ADDR="198.51.100.2"), "berlin ", "guess")
    Client(REMOTE_ADDR="198.51.100.3").post(
        "/admin/login/", {"username": "berlin", "password": "guess"}
    )
    # Three failures from three addresses and three paths: the account is locked everywhere.
    assert token(APIClient(REMOTE_ADDR="198.51.100.4"), "berlin", PASSWORD).status_code == 429


def test_the_admin_sign_in_is_locked_out_too(settings):
    settings.LOGIN_MAX_FAILURES = 5
    SecretariatFactory(username="root", is_superuser=True)
    browser = Client(REMOTE_ADDR="203.0.113.3")
    for _ in range(7):
        browser.post("/admin/login/", {"username": "root", "password": "guess"})
    answer = browser.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert not signed_in(browser)
    assert answer.status_code == 200
    assert LOCKED in answer.content.decode()
    assert browser.get("/admin/").status_code == 302  # still the sign-in page


def test_one_address_spraying_one_password_over_many_names_is_stopped(limits):
    names = [CityContactFactory().username for _ in range(25)]
    browser = Client(REMOTE_ADDR="203.0.113.4")
    refused = [
        LOCKED in page_sign_in(browser, name, "Summer2014").content.decode() for name in names
    ]
    assert refused.index(True) == 10 and all(refused[10:])
    # The API from the same address is refused as well, even for an account never tried.
    fresh = CityContactFactory()
    assert token(APIClient(REMOTE_ADDR="203.0.113.4"), fresh.username, "x").status_code == 429
    # Another address is not concerned.
    assert token(APIClient(REMOTE_ADDR="203.0.113.5"), fresh.username, PASSWORD).status_code == 200


def test_an_office_behind_one_address_signs_in_thirty_times_in_a_minute(limits, settings):
    # The production rates, not the tests' relaxed ones.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login": "10/min", "anon": "120/min", "user": "3000/min"},
    }
    staff = [CityContactFactory() for _ in range(30)]
    api = APIClient(REMOTE_ADDR="192.0.2.10")
    answers = [token(api, person.username, PASSWORD).status_code for person in staff]
    assert answers == [200] * 30
    browser_answers = []
    for person in staff:
        browser = Client(REMOTE_ADDR="192.0.2.10")
        page_sign_in(browser, person.username, PASSWORD)
        browser_answers.append(signed_in(browser))
    assert all(browser_answers)
    # Successes did not use up anything: a mistyped password still gets its own tries.
    assert token(api, staff[0].username, "typo").status_code == 400
    assert token(api, staff[0].username, PASSWORD).status_code == 200


def test_unknown_names_are_counted_too(limits):
    api = APIClient(REMOTE_ADDR="203.0.113.6")
    for name in ("ghost", " ghost", "ghost\t"):
        assert token(api, name, "guess").status_code == 400
    assert token(api, "ghost", "guess").status_code == 429
