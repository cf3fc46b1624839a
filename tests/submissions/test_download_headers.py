"""Issue 10, item 6: a file name cannot inject parameters into Content-Disposition, on the
streamed download and on the presigned S3 GET; names with quotes, control characters or
text-direction overrides are refused at upload."""

import re
from urllib.parse import unquote

import httpx
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions.errors import DomainError
from submissions.file_checks import validate_name
from submissions.models import Attachment
from tests.factories import CityContactFactory, SubmissionFactory, pdf_bytes
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

INJECTION = "x\"; filename*=UTF-8''evil.html; a=\".pdf"
DISGUISED = "invoice\u202efdp.exe.pdf"  # shows as "invoiceexe.pdf..." in a right-to-left run
PARAMETER = re.compile(r';\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def saved_name(header: str) -> str:
    """The name a browser saves the file under (RFC 6266: filename* wins over filename)."""
    assert header.startswith("attachment"), header
    params: dict[str, str] = {}
    for key, value in PARAMETER.findall(header):
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params.setdefault(key.lower(), value.strip())
    if "filename*" in params:
        charset, _language, encoded = params["filename*"].split("'", 2)
        return unquote(encoded, encoding=charset)
    return params["filename"]


def stored_with_name(name: str) -> tuple[CityContactFactory, Attachment]:
    """A file stored before names were checked (or through the admin): the download must still
    be safe."""
    contact = CityContactFactory()
    entry = SubmissionFactory(organization=contact.organization)
    key = default_storage.save(f"submissions/{entry.pk}/a.pdf", ContentFile(pdf_bytes()))
    attachment = Attachment.objects.create(
        submission=entry,
        kind="form",
        original_name=name,
        file=key,
        content_type="application/pdf",
        size=len(pdf_bytes()),
        state="complete",
    )
    return contact, attachment


@pytest.mark.parametrize("name", [INJECTION, DISGUISED, "a\r\nSet-Cookie: x=1.pdf"])
def test_the_streamed_download_cannot_be_renamed_by_the_file_name(name):
    contact, attachment = stored_with_name(name)
    answer = client_for(contact).get(f"/api/v1/attachments/{attachment.pk}/download/")
    assert answer.status_code == 200
    saved = saved_name(answer["Content-Disposition"])
    assert saved.endswith(".pdf") and saved != "evil.html"
    assert not re.search(r'["\r\n\u202e]', saved)
    assert "Set-Cookie" not in str(answer.cookies)


@pytest.mark.s3
@pytest.mark.parametrize("name", [INJECTION, DISGUISED])
def test_the_presigned_s3_download_cannot_be_renamed_by_the_file_name(s3, name):
    contact, attachment = stored_with_name(name)
    answer = client_for(contact).get(f"/api/v1/attachments/{attachment.pk}/download/")
    assert answer.status_code == 302
    from_s3 = httpx.get(answer["Location"])
    assert from_s3.status_code == 200 and from_s3.content == pdf_bytes()
    saved = saved_name(from_s3.headers["content-disposition"])
    assert saved.endswith(".pdf") and saved != "evil.html"
    assert not re.search(r'["\u202e]', saved)


def test_a_name_in_another_script_is_kept_and_encoded():
    contact, attachment = stored_with_name("São Paulo — Plano diretor.pdf")
    answer = client_for(contact).get(f"/api/v1/attachments/{attachment.pk}/download/")
    assert "filename*=utf-8''" in answer["Content-Disposition"]
    assert saved_name(answer["Content-Disposition"]) == "São Paulo — Plano diretor.pdf"


@pytest.mark.parametrize("name", [INJECTION, DISGUISED, 'a"b.pdf', "nel\x85.pdf", "\u2066x.pdf"])
def test_the_name_rule_refuses_quotes_controls_and_direction_overrides(name):
    with pytest.raises(DomainError) as refused:
        validate_name(name)
    assert refused.value.code == "bad_filename" and "Rename the file" in refused.value.message


@pytest.mark.parametrize(
    "name", [DISGUISED, 'a"b.pdf', "tab\there.pdf", "nel\x85.pdf", "rlm\u200f.pdf"]
)
def test_names_with_quotes_controls_or_direction_overrides_are_refused_at_upload(name):
    contact = CityContactFactory()
    entry = SubmissionFactory(organization=contact.organization)
    file = SimpleUploadedFile("form.pdf", pdf_bytes(), content_type="application/pdf")
    file.name = name  # as the browser sent it
    answer = client_for(contact).post(
        f"/api/v1/submissions/{entry.pk}/attachments/",
        {"file": file, "kind": "form"},
        format="multipart",
    )
    assert answer.status_code == 400, answer.json()
    error = answer.json()["error"]
    # The test client escapes quotes in the multipart header; a backslash or a tab is refused as
    # a path part or a control character, the others by the characters rule: all bad_filename.
    assert error["code"] == "bad_filename"
    assert "Rename the file" in error["message"] or "plain name" in error["message"]
    assert not entry.attachments.exists()


@pytest.mark.s3
def test_a_direct_upload_with_an_injected_name_is_refused_before_any_form_is_signed(s3):
    contact = CityContactFactory()
    entry = SubmissionFactory(organization=contact.organization)
    answer = client_for(contact).post(
        f"/api/v1/submissions/{entry.pk}/attachments/uploads/",
        {
            "filename": INJECTION,
            "content_type": "application/pdf",
            "size": 100,
            "kind": "form",
        },
        format="json",
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_filename"
    assert "upload" not in answer.json()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Rename the file with letters"),
        ("fr", "Renommez le fichier avec des lettres"),
        ("es", "Cambie el nombre del archivo usando letras"),
    ],
)
def test_the_city_page_says_why_the_name_is_refused_in_the_visitors_language(language, words):
    from django.test import Client

    contact = CityContactFactory()
    entry = SubmissionFactory(organization=contact.organization)
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    browser.force_login(contact)
    file = SimpleUploadedFile("form.pdf", pdf_bytes(), content_type="application/pdf")
    file.name = 'plan "final".pdf'  # (the page's parser drops direction controls by itself)
    page = browser.post(f"/city/entries/{entry.pk}/upload/", {"file": file, "kind": "form"})
    assert page.status_code == 400
    assert words in page.content.decode()
    assert not entry.attachments.exists()
