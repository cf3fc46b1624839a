"""Path (a): files streamed through the platform to the default storage."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions.models import Attachment
from tests.factories import CallFactory, CityContactFactory, SubmissionFactory, pdf_bytes
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact():
    return CityContactFactory()


@pytest.fixture
def draft(contact):
    return SubmissionFactory(
        organization=contact.organization,
        call=CallFactory(max_file_size=100_000, max_attachments=2),
    )


def send(client, draft, name, content, content_type="application/pdf", kind="application_form"):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(
        f"/api/v1/submissions/{draft.pk}/attachments/",
        {"file": file, "kind": kind},
        format="multipart",
    )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_a_pdf_is_stored_with_its_sha256_and_can_be_downloaded(contact, draft):
    content = pdf_bytes("Superblocks")
    client = client_for(contact)
    answer = send(client, draft, "superblocks.pdf", content)
    assert answer.status_code == 201, answer.json()
    assert answer.json()["sha256"] == hashlib.sha256(content).hexdigest()
    download = client.get(answer.json()["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="superblocks.pdf"')
    assert b"".join(download.streaming_content) == content


def test_an_office_document_is_accepted_by_its_container(contact, draft):
    answer = send(
        client_for(contact),
        draft,
        "budget.docx",
        docx_bytes(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    assert answer.status_code == 201, answer.json()


@pytest.mark.parametrize(
    ("name", "content", "status", "words"),
    [
        ("form.pdf", b"MZ\x90\x00 this is a windows program", 415, "not a valid application/pdf"),
        ("form.exe", b"MZ\x90\x00", 415, "not a file type"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, 415, "looks like image/png"),
        ("form.pdf", b"", 400, "is empty"),
        ("form.pdf", b"%PDF-1.4\n" + b"0" * 200_000, 413, "largest file this call accepts"),
    ],
)
def test_hostile_or_wrong_files_are_refused_with_a_clear_message(
    contact, draft, name, content, status, words
):
    content_type = "application/x-msdownload" if name.endswith(".exe") else "application/pdf"
    answer = send(client_for(contact), draft, name, content, content_type)
    assert answer.status_code == status, answer.json()
    assert words in answer.json()["error"]["message"]
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize("name", ["../../etc/form.pdf", "..\\form.pdf", "reports/form.pdf"])
def test_a_file_name_with_path_parts_is_refused(contact, draft, name):
    # Built by hand: test clients cut a name down to its last part before sending it.
    boundary = "----metropolis"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nform\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + pdf_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    answer = client_for(contact).generic(
        "POST",
        f"/api/v1/submissions/{draft.pk}/attachments/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert answer.status_code == 400, answer.json()
    assert "without folders" in answer.json()["error"]["message"]
    assert Attachment.objects.count() == 0


def test_no_more_files_than_the_call_allows(contact, draft):
    client = client_for(contact)
    assert send(client, draft, "a.pdf", pdf_bytes()).status_code == 201
    assert send(client, draft, "b.pdf", pdf_bytes()).status_code == 201
    answer = send(client, draft, "c.pdf", pdf_bytes())
    assert (
        answer.status_code == 409
        and "the most this call allows" in answer.json()["error"]["message"]
    )
    assert Attachment.objects.count() == 2


def test_a_kind_is_required(contact, draft):
    answer = send(client_for(contact), draft, "a.pdf", pdf_bytes(), kind="")
    assert answer.status_code == 400


def test_a_draft_owner_removes_a_file_but_another_city_cannot_see_it(contact, draft):
    client = client_for(contact)
    attachment = send(client, draft, "a.pdf", pdf_bytes()).json()
    other = client_for(CityContactFactory())
    assert other.get(attachment["download_url"]).status_code == 404
    assert other.delete(f"/api/v1/attachments/{attachment['id']}/").status_code == 404
    assert client.delete(f"/api/v1/attachments/{attachment['id']}/").status_code == 204
    assert Attachment.objects.count() == 0


def test_downloads_are_never_served_inline(contact, draft):
    client = client_for(contact)
    attachment = send(client, draft, "a.pdf", pdf_bytes()).json()
    download = client.get(attachment["download_url"])
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
