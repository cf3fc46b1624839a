"""S3 down, or failing in the middle of an upload: a clear 503, nothing half-counted, the draft
as it was, and the same upload succeeds once the store answers again."""

import hashlib

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions import tasks
from submissions.errors import StorageUnavailable
from submissions.models import Attachment, AuditEvent, Submission
from tests.factories import CallFactory, CityContactFactory, SubmissionFactory, pdf_bytes
from tests.support.clients import client_for
from tests.support.network import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.s3]

DRAFT_FIELDS = ("title", "summary", "description", "theme", "answers", "status", "receipt_sha256")
DRAFT_FIELDS += ("submitted_at", "updated_at")


@pytest.fixture
def contact():
    return CityContactFactory()


@pytest.fixture
def draft(contact):
    # Room for one file only: a half-counted attachment would block the retry.
    call = CallFactory(max_file_size=300 * 1024 * 1024, max_attachments=1)
    return SubmissionFactory(organization=contact.organization, call=call, title="Superblocks")


@pytest.fixture
def s3_down(settings, monkeypatch):
    """S3Storage pointed at a loopback port where nothing listens."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings.STORAGE_BACKEND = "s3"
    settings.AWS_STORAGE_BUCKET_NAME = "metropolis-submissions"
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{free_port()}"
    settings.AWS_ACCESS_KEY_ID = "testing"
    settings.AWS_SECRET_ACCESS_KEY = "testing"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }


def snapshot(submission: Submission) -> dict:
    submission.refresh_from_db()
    return {name: getattr(submission, name) for name in DRAFT_FIELDS}


def upload(client, draft, content: bytes, name="form.pdf"):
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(
        f"/api/v1/submissions/{draft.pk}/attachments/",
        {"file": file, "kind": "application_form"},
        format="multipart",
    )


def start(client, draft, size: int, name="form.pdf", content_type="application/pdf"):
    return client.post(
        f"/api/v1/submissions/{draft.pk}/attachments/uploads/",
        {"filename": name, "content_type": content_type, "size": size, "kind": "application_form"},
        format="json",
    )


def assert_store_unavailable(answer) -> None:
    assert answer.status_code == 503, answer.content
    error = answer.json()["error"]
    assert error["code"] == "storage_unavailable"
    assert "try the upload again" in error["message"]


def send_to_s3(started: dict, content: bytes) -> None:
    """What the browser does with the presigned POST of a direct upload."""
    form = started["upload"]
    files = {"file": ("form.pdf", content, "application/pdf")}
    assert httpx.post(form["url"], data=form["fields"], files=files).status_code in (200, 204)


def big_pdf(size: int) -> bytes:
    head = pdf_bytes("large")
    return head + b"%" + b"x" * (size - len(head) - 1)


def stored_keys(s3) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=s3.bucket).get("Contents", [])]


# --- S3 down ----------------------------------------------------------------------------------


def test_an_upload_while_the_store_is_down_gets_a_503_and_counts_nothing(s3_down, contact, draft):
    before = snapshot(draft)
    answer = upload(client_for(contact), draft, pdf_bytes())
    assert_store_unavailable(answer)
    assert Attachment.objects.count() == 0
    assert not AuditEvent.objects.filter(action="attachment.uploaded").exists()
    assert snapshot(draft) == before


@pytest.mark.parametrize("size", [4096, 150 * 1024 * 1024], ids=["presigned-post", "multipart"])
def test_a_direct_upload_start_while_the_store_is_down_gets_a_503_and_counts_nothing(
    s3_down, contact, draft, size
):
    before = snapshot(draft)
    answer = start(client_for(contact), draft, size)
    assert_store_unavailable(answer)
    assert "upload" not in answer.json()
    assert Attachment.objects.count() == 0
    assert snapshot(draft) == before


# --- S3 failing in the middle of a transfer ----------------------------------------------------


def test_an_upload_cut_in_the_middle_gets_a_503_and_succeeds_once_the_store_is_back(
    s3_link, contact, draft
):
    content = big_pdf(512 * 1024)
    client = client_for(contact)
    before = snapshot(draft)
    s3_link.link.cut_uploads_after(64 * 1024)  # the connection drops an eighth of the way in
    assert_store_unavailable(upload(client, draft, content))
    assert s3_link.link.cuts >= 1
    assert Attachment.objects.count() == 0
    assert stored_keys(s3_link) == []
    assert snapshot(draft) == before

    s3_link.link.up()
    answer = upload(client, draft, content)
    assert answer.status_code == 201, answer.json()
    assert answer.json()["sha256"] == hashlib.sha256(content).hexdigest()
    [key] = stored_keys(s3_link)
    assert s3_link.get_object(Bucket=s3_link.bucket, Key=key)["Body"].read() == content


def test_a_direct_upload_whose_store_goes_down_before_complete_gets_a_503_and_completes_on_retry(
    s3_link, contact, draft, django_capture_on_commit_callbacks
):
    content = pdf_bytes("direct")
    client = client_for(contact)
    started = start(client, draft, len(content))
    assert started.status_code == 201, started.json()
    started = started.json()
    send_to_s3(started, content)
    before = snapshot(draft)

    s3_link.link.down()
    assert_store_unavailable(client.post(started["complete_url"], {}, format="json"))
    pending = Attachment.objects.get()
    assert pending.state == Attachment.State.PENDING and pending.sha256 == ""
    assert client.get(f"/api/v1/submissions/{draft.pk}/attachments/").json() == []
    assert snapshot(draft) == before

    s3_link.link.up()
    with django_capture_on_commit_callbacks(execute=True):  # and the worker checks it
        done = client.post(started["complete_url"], {}, format="json")
    assert done.status_code == 202, done.json()
    checked = Attachment.objects.get()
    assert checked.state == "complete"
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_a_check_cut_while_the_worker_reads_the_file_back_is_finished_by_the_next_run(
    s3_link, contact, draft, settings, django_capture_on_commit_callbacks
):
    content = big_pdf(2 * 1024 * 1024)
    client = client_for(contact)
    started = start(client, draft, len(content)).json()
    send_to_s3(started, content)
    with django_capture_on_commit_callbacks() as queued:
        assert client.post(started["complete_url"], {}, format="json").status_code == 202
    before = snapshot(draft)

    s3_link.link.cut_downloads_after(256 * 1024)
    outcome = tasks.verify_upload.apply(args=[started["attachment"]])
    assert outcome.failed() and isinstance(outcome.result, StorageUnavailable)
    assert s3_link.link.cuts >= 1
    assert Attachment.objects.get().state == Attachment.State.VERIFYING  # nothing half-decided
    assert snapshot(draft) == before

    s3_link.link.up()
    settings.VERIFY_RETRY_AFTER_SECONDS = 0  # the scheduler's sweep hands it over again
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.resume_verifications.apply().get() == 1
    checked = Attachment.objects.get()
    assert checked.state == "complete"
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert len(queued) == 1
