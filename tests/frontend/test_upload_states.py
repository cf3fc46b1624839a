"""The city's entry page shows where each direct upload stands (issue 11, item 3): being
checked, or refused with the reason, in the visitor's language; submit waits for the check."""

from html import unescape

import pytest

from submissions.models import Attachment
from tests.frontend.conftest import draft_of

pytestmark = pytest.mark.django_db


def files(entry, *states_and_problems):
    for number, (state, problem) in enumerate(states_and_problems):
        Attachment.objects.create(
            submission=entry,
            kind="application_form",
            original_name=f"file{number}.pdf",
            content_type="application/pdf",
            size=1000,
            state=state,
            problem=problem,
        )


@pytest.mark.parametrize(
    ("language", "checking", "refused", "reason"),
    [
        ("en", "Being checked…", "Refused", "The content of 'file1.pdf' is not a valid"),
        ("fr", "Vérification en cours…", "Refusé", "Le contenu de « file1.pdf »"),
        ("es", "En verificación…", "Rechazado", "El contenido de «file1.pdf»"),
    ],
)
def test_the_entry_page_shows_files_being_checked_and_refused(
    city, page, language, checking, refused, reason
):
    contact, call = city
    entry = draft_of(contact, call)
    files(
        entry,
        ("verifying", ""),
        ("rejected", "The content of 'file1.pdf' is not a valid application/pdf file."),
    )
    client = page(contact)
    client.cookies["django_language"] = language
    html = unescape(client.get(f"/city/entries/{entry.pk}/").content.decode())
    assert checking in html and refused in html and reason in html
    assert "/api/v1/attachments/" not in html.split("files-title")[1].split("</ul>")[0]


def test_submitting_while_a_file_is_checked_says_to_wait(city, page):
    contact, call = city
    entry = draft_of(contact, call, description="A plan.")
    files(entry, ("complete", ""), ("verifying", ""))
    answer = page(contact).post(f"/city/entries/{entry.pk}/submit/", {"confirm": "on"})
    assert answer.status_code == 409
    assert "still being checked: file1.pdf" in unescape(answer.content.decode())
    entry.refresh_from_db()
    assert entry.status == "draft"
