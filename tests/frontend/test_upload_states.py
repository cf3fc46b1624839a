"""The city's entry page shows where each direct upload stands (issue 11, item 3): being
checked, or refused with the reason, in the visitor's language; submit waits for the check."""

from html import unescape

import pytest

from submissions.errors import DomainError
from submissions.file_checks import validate_content
from submissions.models import Attachment
from tests.worlds import draft_of

pytestmark = pytest.mark.django_db


def files(entry, *states):
    """Files of the entry in these states; a refused one refused as the worker refuses it (the
    sentence, and its template and parameters for the reader's language)."""
    for number, state in enumerate(states):
        name = f"file{number}.pdf"
        refusal = {}
        if state == "rejected":
            with pytest.raises(DomainError) as refused:
                validate_content(entry.call, name, "application/pdf", b"not a pdf")
            refusal = {
                "problem": refused.value.message,
                "problem_record": refused.value.as_record(),
            }
        Attachment.objects.create(
            submission=entry,
            kind="application_form",
            original_name=name,
            content_type="application/pdf",
            size=1000,
            state=state,
            **refusal,
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
    files(entry, "verifying", "rejected")
    client = page(contact)
    client.cookies["django_language"] = language
    html = unescape(client.get(f"/city/entries/{entry.pk}/").content.decode())
    assert checking in html and refused in html and reason in html
    assert "/api/v1/attachments/" not in html.split("files-title")[1].split("</ul>")[0]


def test_submitting_while_a_file_is_checked_says_to_wait(city, page):
    contact, call = city
    entry = draft_of(contact, call, description="A plan.")
    files(entry, "complete", "verifying")
    answer = page(contact).post(f"/city/entries/{entry.pk}/submit/", {"confirm": "on"})
    assert answer.status_code == 409
    assert "still being checked: file1.pdf" in unescape(answer.content.decode())
    entry.refresh_from_db()
    assert entry.status == "draft"
