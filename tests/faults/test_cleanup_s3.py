"""Direct uploads started and never completed: `manage.py cleanup_uploads` (fit for cron) removes
the rows, the objects and the unfinished multipart uploads from the bucket, and nothing else."""

from datetime import timedelta
from io import StringIO

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from submissions.models import Attachment
from tests.factories import CallFactory, CityContactFactory, SubmissionFactory, pdf_bytes
from tests.support.clients import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.s3]

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 8


@pytest.fixture
def contact():
    return CityContactFactory()


@pytest.fixture
def draft(contact):
    call = CallFactory(max_file_size=300 * 1024 * 1024, max_attachments=6)
    return SubmissionFactory(organization=contact.organization, call=call)


def start(client, draft, size: int, name="form.pdf", content_type="application/pdf") -> dict:
    answer = client.post(
        f"/api/v1/submissions/{draft.pk}/attachments/uploads/",
        {"filename": name, "content_type": content_type, "size": size, "kind": "annex"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    return answer.json()


def send_post(started: dict, content: bytes) -> None:
    form = started["upload"]
    sent = httpx.post(
        form["url"], data=form["fields"], files={"file": ("form.pdf", content, "application/pdf")}
    )
    assert sent.status_code in (200, 204)


def age(*attachment_ids: int, hours: float = 25) -> None:
    Attachment.objects.filter(pk__in=attachment_ids).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )


def cleanup(*args: str) -> str:
    out = StringIO()
    call_command("cleanup_uploads", "--older-than-hours", "24", *args, stdout=out)
    return out.getvalue()


def keys(s3) -> set[str]:
    return {o["Key"] for o in s3.list_objects_v2(Bucket=s3.bucket).get("Contents", [])}


def unfinished_multipart_uploads(s3) -> list[dict]:
    return s3.list_multipart_uploads(Bucket=s3.bucket).get("Uploads", [])


@pytest.fixture
def uploads(s3, contact, draft, settings):
    """One finished file, two uploads abandoned a day ago (a presigned POST whose bytes arrived,
    a multipart upload with one part sent) and one started a minute ago."""
    settings.MULTIPART_PART_SIZE = 5 * 1024 * 1024  # S3's smallest part
    client = client_for(contact)
    file = SimpleUploadedFile("form.pdf", pdf_bytes(), content_type="application/pdf")
    finished = client.post(
        f"/api/v1/submissions/{draft.pk}/attachments/",
        {"file": file, "kind": "application_form"},
        format="multipart",
    ).json()

    posted = start(client, draft, len(pdf_bytes("annex")))
    send_post(posted, pdf_bytes("annex"))

    size = 101 * 1024 * 1024
    multipart = start(client, draft, size, name="film.mp4", content_type="video/mp4")
    first = multipart["upload"]["parts"][0]
    chunk = MP4_HEAD + b"\x01" * (multipart["upload"]["part_size"] - len(MP4_HEAD))
    assert httpx.put(first["url"], content=chunk).status_code == 200

    recent = start(client, draft, len(pdf_bytes()))
    age(finished["id"], posted["attachment"], multipart["attachment"])
    return {
        "finished": finished["id"],
        "abandoned": [posted["attachment"], multipart["attachment"]],
        "recent": recent["attachment"],
    }


def test_abandoned_uploads_are_removed_from_the_bucket_and_the_database(s3, uploads):
    finished = Attachment.objects.get(pk=uploads["finished"])
    assert len(keys(s3)) == 2 and len(unfinished_multipart_uploads(s3)) == 1

    assert "Removed 2 abandoned upload(s)." in cleanup()

    assert keys(s3) == {finished.file.name}
    assert unfinished_multipart_uploads(s3) == []
    assert set(Attachment.objects.values_list("pk", flat=True)) == {
        uploads["finished"],
        uploads["recent"],
    }
    assert Attachment.objects.get(pk=uploads["finished"]).state == Attachment.State.COMPLETE
    body = s3.get_object(Bucket=s3.bucket, Key=finished.file.name)["Body"].read()
    assert body == pdf_bytes()


def test_a_second_run_finds_nothing_left_to_remove(s3, uploads):
    cleanup()
    assert "Removed 0 abandoned upload(s)." in cleanup()
    assert Attachment.objects.count() == 2


def test_a_dry_run_lists_the_abandoned_uploads_and_removes_nothing(s3, uploads):
    before = keys(s3), Attachment.objects.count()
    out = cleanup("--dry-run")
    assert "Would remove 2 abandoned upload(s)." in out and "film.mp4" in out
    assert (keys(s3), Attachment.objects.count()) == before
    assert len(unfinished_multipart_uploads(s3)) == 1


def test_an_upload_left_pending_by_an_outage_is_removed_once_the_store_is_back(
    s3_link, contact, draft
):
    client = client_for(contact)
    started = start(client, draft, len(pdf_bytes()))
    send_post(started, pdf_bytes())
    s3_link.link.down()
    assert client.post(started["complete_url"], {}, format="json").status_code == 503
    age(started["attachment"])

    with pytest.raises(CommandError, match="not answering"):  # cron's run fails loudly...
        cleanup()
    assert Attachment.objects.filter(pk=started["attachment"]).exists()  # ...and keeps the row

    s3_link.link.up()
    assert "Removed 1 abandoned upload(s)." in cleanup()
    assert not Attachment.objects.exists()
    assert keys(s3_link) == set()
