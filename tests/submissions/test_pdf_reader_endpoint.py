"""The bytes pdf.js reads beside the rubric (issue 14, item 1): /api/v1/attachments/{id}/pdf/
answers only for a file whose stored bytes are a PDF, never in a way a browser would render
from our origin, and only to those who may download the file."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from jury.models import Assignment
from submissions.models import AuditEvent
from tests.factories import AttachmentFactory, ConflictFactory, pdf_bytes
from tests.support.clients import client_for
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = JudgedCall(entries=2, jurors=3)
    world.assign_everyone()
    return world


def test_a_juror_reads_the_pdf_bytes_with_headers_that_forbid_rendering(world):
    file = AttachmentFactory(submission=world.entries[0])
    answer = client_for(world.jurors[1]).get(f"/api/v1/attachments/{file.pk}/pdf/")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == pdf_bytes()
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith("attachment")
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in answer["Content-Security-Policy"]
    assert "no-store" in answer["Cache-Control"]
    assert AuditEvent.objects.filter(
        action="attachment.downloaded", target_id=str(file.pk)
    ).exists()


def test_a_file_whose_bytes_are_not_a_pdf_is_refused_even_if_named_and_typed_pdf(world):
    entry = world.entries[0]
    stored = default_storage.save(
        f"submissions/{entry.pk}/page.pdf", ContentFile(b"<html><script>alert(1)</script>")
    )
    file = AttachmentFactory(submission=entry, file=stored, original_name="page.pdf")
    answer = client_for(world.jurors[1]).get(f"/api/v1/attachments/{file.pk}/pdf/")
    assert answer.status_code == 415
    assert answer.json()["error"]["code"] == "not_pdf"
    assert "download it instead" in answer.json()["error"]["message"]


def test_a_conflicted_juror_and_a_stranger_get_404(world):
    file = AttachmentFactory(submission=world.entries[0])
    conflicted = world.jurors[2]
    ConflictFactory(juror=conflicted, submission=world.entries[0])
    Assignment.objects.filter(juror=conflicted, submission=world.entries[0]).delete()
    assert client_for(conflicted).get(f"/api/v1/attachments/{file.pk}/pdf/").status_code == 404
    outsider = JudgedCall(entries=0, jurors=1).jurors[0]
    assert client_for(outsider).get(f"/api/v1/attachments/{file.pk}/pdf/").status_code == 404


def test_in_a_blind_call_the_file_name_stays_neutral(world):
    world.call.blind = True
    world.call.save()
    file = AttachmentFactory(submission=world.entries[0], original_name="medellin-form.pdf")
    answer = client_for(world.jurors[1]).get(f"/api/v1/attachments/{file.pk}/pdf/")
    assert answer.status_code == 200
    assert "medellin" not in answer["Content-Disposition"].lower()
