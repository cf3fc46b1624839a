"""Issue 10, item 13: a request the parsers refuse answers the API's JSON error shape with a
400 or 413, never Django's HTML page."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import CityContactFactory, SubmissionFactory, pdf_bytes
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

HUGE = 11 * 1024 * 1024


def _multipart(filename: str) -> tuple[bytes, str]:
    """Built by hand: Django's own test helpers refuse to send a file named '..'."""
    boundary = "metropolis-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nform\r\n'
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + pdf_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and isinstance(error["fields"], dict)
    return error


@pytest.fixture
def contact_and_entry():
    contact = CityContactFactory()
    return contact, SubmissionFactory(organization=contact.organization)


def test_a_file_named_dot_dot_answers_a_json_400(contact_and_entry):
    contact, entry = contact_and_entry
    client = client_for(contact)
    client.raise_request_exception = False  # answer as the server would
    for name in ("..", "."):
        body, content_type = _multipart(name)
        answer = client.generic(
            "POST", f"/api/v1/submissions/{entry.pk}/attachments/", body, content_type=content_type
        )
        error = _error(answer, 400, "bad_filename")
        assert "plain name" in error["message"] and "file" in error["fields"]
    assert not entry.attachments.exists()


def test_an_eleven_megabyte_json_body_answers_a_json_413(contact_and_entry):
    contact, _entry = contact_and_entry
    body = b'{"title": "' + b"a" * HUGE + b'"}'
    signed_in = client_for(contact)
    anonymous = APIClient()
    for client, path in ((signed_in, "/api/v1/submissions/"), (anonymous, "/api/v1/auth/token/")):
        client.raise_request_exception = False
        answer = client.generic("POST", path, body, content_type="application/json")
        error = _error(answer, 413, "too_large")
        assert "10 MB" in error["message"]


def test_an_oversized_form_read_by_the_csrf_check_answers_json(contact_and_entry):
    contact, _entry = contact_and_entry
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.force_login(contact)
    browser.get("/accounts/login/")  # sets the CSRF cookie; the check then reads the form
    answer = browser.post("/api/v1/submissions/", {"title": "a" * HUGE})
    _error(answer, 413, "too_large")
    page = browser.post("/city/", {"title": "a" * HUGE})  # the pages keep their HTML page
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_a_request_refused_before_any_view_answers_json_under_the_api():
    browser = Client(raise_request_exception=False, HTTP_HOST="evil.example")
    _error(browser.get("/api/v1/calls/"), 400, "bad_request")
    assert browser.get("/accounts/login/")["Content-Type"].startswith("text/html")


def test_too_many_fields_answers_a_json_400(contact_and_entry):
    contact, _entry = contact_and_entry
    client = client_for(contact)
    client.raise_request_exception = False
    form = "&".join(f"f{i}=x" for i in range(1200))
    answer = client.generic(
        "POST", "/api/v1/submissions/", form, content_type="application/x-www-form-urlencoded"
    )
    _error(answer, 400, "too_many_fields")
