"""Direct uploads checked off the request (issue 11, item 3) and out of the city's reach once
checked (issue 10, item 5), against moto's S3 server over HTTP."""

import hashlib

import httpx
import pytest

from submissions import tasks
from submissions.models import Attachment, AuditEvent
from tests.factories import CallFactory, CityContactFactory, SubmissionFactory, pdf_bytes
from tests.support.clients import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.s3]


@pytest.fixture
def contact():
    return CityContactFactory()


@pytest.fixture
def draft(contact):
    call = CallFactory(required_document_kinds=["application_form"])
    return SubmissionFactory(organization=contact.organization, call=call)


def direct_upload(client, draft, content: bytes, capture) -> dict:
    started = client.post(
        f"/api/v1/submissions/{draft.pk}/attachments/uploads/",
        {
            "filename": "form.pdf",
            "content_type": "application/pdf",
            "size": len(content),
            "kind": "application_form",
        },
        format="json",
    ).json()
    assert post_form(started["upload"], content).status_code in (200, 204)
    with capture() as queued:
        done = client.post(started["complete_url"], {}, format="json")
    assert done.status_code == 202, done.json()
    started["queued"] = queued
    return started


def post_form(form: dict, content: bytes, content_type="application/pdf") -> httpx.Response:
    return httpx.post(
        form["url"], data=form["fields"], files={"file": ("form.pdf", content, content_type)}
    )


def run_worker(queued) -> None:
    for callback in queued:
        callback()


def downloaded(client, attachment_id: int) -> bytes:
    answer = client.get(f"/api/v1/attachments/{attachment_id}/download/")
    assert answer.status_code == 302, answer.content
    fetched = httpx.get(answer["Location"])
    assert fetched.status_code == 200
    return fetched.content


def test_reposting_the_form_after_complete_and_submit_changes_nothing_downloaded(
    s3, contact, draft, django_capture_on_commit_callbacks
):
    client = client_for(contact)
    content = pdf_bytes("Superblocks: the application form")
    started = direct_upload(client, draft, content, django_capture_on_commit_callbacks)
    run_worker(started["queued"])
    attachment_id = started["attachment"]
    assert client.get(f"/api/v1/attachments/{attachment_id}/").json()["state"] == "complete"

    # The city still holds the presigned form: other bytes of the same size, now HTML.
    forged = b"<html><script>alert(1)</script>" + b" " * (len(content) - 31)
    assert len(forged) == len(content)
    post_form(started["upload"], forged, "application/pdf")
    assert downloaded(client, attachment_id) == content

    submitted = client.post(f"/api/v1/submissions/{draft.pk}/submit/")
    assert submitted.status_code == 200, submitted.json()
    post_form(started["upload"], forged, "application/pdf")  # and again after the submit
    served = downloaded(client, attachment_id)
    receipt = client.get(f"/api/v1/submissions/{draft.pk}/receipt/").json()
    [listed] = receipt["content"]["attachments"]
    assert served == content
    assert hashlib.sha256(served).hexdigest() == listed["sha256"]


def test_the_upload_form_expires_quickly(s3, contact, draft, settings):
    answer = client_for(contact).post(
        f"/api/v1/submissions/{draft.pk}/attachments/uploads/",
        {"filename": "a.pdf", "content_type": "application/pdf", "size": 100, "kind": "x"},
        format="json",
    )
    assert answer.json()["upload"]["expires_in"] == settings.UPLOAD_FORM_EXPIRY_SECONDS <= 300


def test_submit_waits_with_a_clear_409_until_every_file_is_checked(
    s3, contact, draft, django_capture_on_commit_callbacks
):
    client = client_for(contact)
    started = direct_upload(client, draft, pdf_bytes(), django_capture_on_commit_callbacks)
    early = client.post(f"/api/v1/submissions/{draft.pk}/submit/")
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "files_verifying"
    assert "form.pdf" in early.json()["error"]["message"]
    assert "still being checked" in early.json()["error"]["message"]
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.receipt_sha256

    run_worker(started["queued"])
    assert client.post(f"/api/v1/submissions/{draft.pk}/submit/").status_code == 200


def test_a_verify_task_delivered_twice_checks_the_file_once(
    s3, contact, draft, django_capture_on_commit_callbacks
):
    client = client_for(contact)
    started = direct_upload(client, draft, pdf_bytes(), django_capture_on_commit_callbacks)
    first = tasks.verify_upload.apply(args=[started["attachment"]]).get()
    second = tasks.verify_upload.apply(args=[started["attachment"]]).get()
    assert (first, second) == ("complete", "skipped")
    assert AuditEvent.objects.filter(action="attachment.uploaded").count() == 1


def test_a_verification_whose_task_was_lost_is_handed_over_again(
    s3, contact, draft, settings, django_capture_on_commit_callbacks
):
    client = client_for(contact)
    direct_upload(client, draft, pdf_bytes(), django_capture_on_commit_callbacks)  # never run
    settings.VERIFY_RETRY_AFTER_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.resume_verifications.apply().get() == 1
    assert Attachment.objects.get().state == "complete"


def test_a_file_changed_in_the_bucket_after_its_check_is_withheld(
    s3, contact, draft, django_capture_on_commit_callbacks
):
    client = client_for(contact)
    started = direct_upload(client, draft, pdf_bytes(), django_capture_on_commit_callbacks)
    run_worker(started["queued"])
    key = Attachment.objects.get().file.name
    s3.put_object(Bucket=s3.bucket, Key=key, Body=b"%PDF-1.4 replaced", ContentType="text/html")
    answer = client.get(f"/api/v1/attachments/{started['attachment']}/download/")
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "file_changed"


def test_with_bucket_versioning_the_download_serves_the_checked_version(
    s3, contact, draft, django_capture_on_commit_callbacks
):
    s3.put_bucket_versioning(Bucket=s3.bucket, VersioningConfiguration={"Status": "Enabled"})
    client = client_for(contact)
    content = pdf_bytes("versioned")
    started = direct_upload(client, draft, content, django_capture_on_commit_callbacks)
    run_worker(started["queued"])
    attachment = Attachment.objects.get()
    assert attachment.version_id
    s3.put_object(Bucket=s3.bucket, Key=attachment.file.name, Body=b"later bytes")
    assert downloaded(client, attachment.pk) == content
