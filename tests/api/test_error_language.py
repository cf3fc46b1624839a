"""The API's error body keeps its shape and its code; its message (and each field message) is
worded in the request's language, from the error's template and parameters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CallFactory, CityContactFactory
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "words", "field"),
    [
        ("en", "The deadline for this call passed at", "Required."),
        ("fr", "La date limite de cet appel est passée le", "Obligatoire."),
        ("es", "La fecha límite de esta convocatoria pasó el", "Obligatorio."),
    ],
)
def test_a_refusal_reads_in_the_requests_language_with_the_same_code(language, words, field):
    contact = CityContactFactory()
    closed = CallFactory(deadline=timezone.now() - timedelta(minutes=1))
    client = client_for(contact)
    late = client.post(
        "/api/v1/submissions/",
        {"call": closed.slug, "title": "Late"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert late.status_code == 403
    error = late.json()["error"]
    assert error["code"] == "deadline_passed" and words in error["message"]
    open_call = CallFactory()
    entry = client.post(
        "/api/v1/submissions/", {"call": open_call.slug, "title": "On time"}, format="json"
    ).json()
    refused = client.post(
        f"/api/v1/submissions/{entry['id']}/attachments/",
        {"kind": "application_form"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["file"] == [field]
