"""Both upload paths against a real S3 endpoint over HTTP (moto's ThreadedMotoServer)."""

import hashlib

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions.models import Attachment
from tests.factories import CallFactory, CityContactFactory, SubmissionFactory, pdf_bytes
from tests.support.clients import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.s3]


@pytest.fixture
def contact():
    return CityContactFactory()


@pytest.fixture
def draft(contact):
    return SubmissionFactory(
        organization=contact.organization, call=CallFactory(max_file_size=300 * 1024 * 1024)
    )


def start(
    client,
    draft,
    name="form.pdf",
    size=None,
    content_type="application/pdf",
    kind="application_form",
):
    return client.post(
        f"/api/v1/submissions/{draft.pk}/attachments/uploads/",
        {
            "filename": name,
            "content_type": content_type,
            "size": size if size is not None else len(pdf_bytes()),
            "kind": kind,
        },
        format="json",
    )


def post_to_s3(upload: dict, content: bytes, content_type="application/pdf") -> httpx.Response:
    return httpx.post(
        upload["url"], data=upload["fields"], files={"file": ("form.pdf", content, content_type)}
    )


def stored_keys(s3) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=s3.bucket).get("Contents", [])]


def test_streamed_upload_lands_in_the_bucket_under_a_neutral_key(s3, contact, draft):
    content = pdf_bytes("Metrocable")
    file = SimpleUploadedFile("medellin-metrocable.pdf", content, content_type="application/pdf")
    answer = client_for(contact).post(
        f"/api/v1/submissions/{draft.pk}/attachments/",
        {"file": file, "kind": "form"},
        format="multipart",
    )
    assert answer.status_code == 201, answer.json()
    [key] = stored_keys(s3)
    assert key.startswith(f"submissions/{draft.pk}/") and "medellin" not in key
    body = s3.get_object(Bucket=s3.bucket, Key=key)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == answer.json()["sha256"]


def run_worker(callbacks) -> None:
    """Run what the request queued for after its commit: here, the worker's verify task."""
    for callback in callbacks:
        callback()


def test_direct_upload_is_checked_by_the_worker_after_complete(
    s3, contact, draft, django_capture_on_commit_callbacks
):
    client = client_for(contact)
    content = pdf_bytes("direct")
    started = start(client, draft, size=len(content))
    assert started.status_code == 201, started.json()
    upload = started.json()["upload"]
    assert upload["method"] == "post"
    assert upload["fields"]["key"].startswith(f"uploads/{draft.pk}/")
    assert post_to_s3(upload, content).status_code in (200, 204)
    assert Attachment.objects.get().state == "pending"
    with django_capture_on_commit_callbacks() as queued:
        done = client.post(started.json()["complete_url"], {}, format="json")
    assert done.status_code == 202, done.json()
    assert done.json()["state"] == "verifying" and done.json()["sha256"] == ""
    entry = client.get(f"/api/v1/submissions/{draft.pk}/").json()
    assert [f["state"] for f in entry["attachments"]] == ["verifying"]

    run_worker(queued)
    checked = client.get(f"/api/v1/attachments/{started.json()['attachment']}/").json()
    assert checked["state"] == "complete"
    assert checked["sha256"] == hashlib.sha256(content).hexdigest()
    # The checked file lives at a key no presigned form names; the upload key is gone.
    attachment = Attachment.objects.get()
    assert stored_keys(s3) == [attachment.file.name]
    assert attachment.file.name.startswith(f"submissions/{draft.pk}/")
    assert attachment.file.name != upload["fields"]["key"]


def test_the_client_cannot_choose_the_key(s3, contact, draft):
    started = start(client_for(contact), draft, name="x.pdf").json()
    assert started["upload"]["fields"]["key"].endswith(".pdf")
    assert "x.pdf" not in started["upload"]["fields"]["key"]


def test_the_worker_refuses_and_deletes_an_object_that_breaks_the_rules(
    s3, contact, draft, django_capture_on_commit_callbacks
):
    # The emulator does not enforce the POST policy, so the check must.
    client = client_for(contact)
    started = start(client, draft, size=len(pdf_bytes())).json()
    disguised = b"MZ\x90\x00" + b"\x00" * (len(pdf_bytes()) - 4)
    post_to_s3(started["upload"], disguised)
    with django_capture_on_commit_callbacks() as queued:
        answer = client.post(started["complete_url"], {}, format="json")
    assert answer.status_code == 202 and answer.json()["state"] == "verifying"
    run_worker(queued)
    refused = client.get(f"/api/v1/attachments/{started['attachment']}/").json()
    assert refused["state"] == "rejected"
    assert "not a valid application/pdf" in refused["problem"]
    assert stored_keys(s3) == []
    # A refused file does not count: not in the receipt, not against the call's file limit.
    assert not Attachment.objects.filter(state="complete").exists()
    assert start(client, draft).status_code == 201


def test_complete_refuses_a_file_of_another_size_than_announced(s3, contact, draft):
    client = client_for(contact)
    started = start(client, draft, size=100).json()
    post_to_s3(started["upload"], pdf_bytes())
    answer = client.post(started["complete_url"], {}, format="json")
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "size_mismatch"
    assert stored_keys(s3) == []


def test_complete_before_the_bytes_arrive_says_so(s3, contact, draft):
    client = client_for(contact)
    started = start(client, draft).json()
    answer = client.post(started["complete_url"], {}, format="json")
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "upload_missing"
    assert Attachment.objects.get().state == "pending"


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"size": 0}, 400),
        ({"size": 400 * 1024 * 1024}, 413),
        ({"name": "movie.exe", "content_type": "application/x-msdownload"}, 415),
        ({"name": "a/b.pdf"}, 400),
    ],
)
def test_bad_direct_uploads_are_refused_before_any_url_is_given(s3, contact, draft, fields, status):
    answer = start(client_for(contact), draft, **fields)
    assert answer.status_code == status, answer.json()
    assert "upload" not in answer.json()


def test_large_files_go_in_presigned_parts(
    s3, contact, draft, settings, django_capture_on_commit_callbacks
):
    settings.MULTIPART_PART_SIZE = 5 * 1024 * 1024  # S3's smallest part
    client = client_for(contact)
    size = 101 * 1024 * 1024 + 17
    started = start(client, draft, name="film.mp4", size=size, content_type="video/mp4").json()
    upload = started["upload"]
    assert upload["method"] == "multipart" and len(upload["parts"]) == 21
    header = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 8
    digest = hashlib.sha256()
    parts = []
    for part in upload["parts"]:
        offset = (part["part_number"] - 1) * upload["part_size"]
        length = min(upload["part_size"], size - offset)
        chunk = (header + b"\x01" * (length - len(header))) if offset == 0 else b"\x02" * length
        digest.update(chunk)
        sent = httpx.put(part["url"], content=chunk)
        assert sent.status_code == 200
        parts.append({"part_number": part["part_number"], "etag": sent.headers["ETag"]})
    with django_capture_on_commit_callbacks() as queued:
        done = client.post(started["complete_url"], {"parts": parts}, format="json")
    assert done.status_code == 202, done.json()
    run_worker(queued)
    checked = client.get(f"/api/v1/attachments/{started['attachment']}/").json()
    assert checked["state"] == "complete" and checked["sha256"] == digest.hexdigest()


def test_download_redirects_to_a_short_lived_signed_url_that_forces_a_download(s3, contact, draft):
    content = pdf_bytes()
    client = client_for(contact)
    file = SimpleUploadedFile("form.pdf", content, content_type="application/pdf")
    attachment = client.post(
        f"/api/v1/submissions/{draft.pk}/attachments/",
        {"file": file, "kind": "form"},
        format="multipart",
    ).json()
    answer = client.get(attachment["download_url"])
    assert answer.status_code == 302
    location = answer["Location"]
    assert "X-Amz-Signature" in location and "X-Amz-Expires=120" in location
    fetched = httpx.get(location)
    assert fetched.status_code == 200 and fetched.content == content
    assert fetched.headers["content-disposition"] == 'attachment; filename="form.pdf"'
    unsigned = httpx.get(location.split("?")[0])
    assert unsigned.status_code == 403


def test_direct_upload_needs_s3(contact, draft):
    answer = start(client_for(contact), draft)
    assert (
        answer.status_code == 400 and answer.json()["error"]["code"] == "direct_upload_unavailable"
    )
