"""City portal: open calls, drafts, uploads, submission, receipt, decision; never another city's."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from scoring.models import Decision
from submissions.models import Attachment, DeadlineExtension, Submission
from tests.factories import CallFactory, CityContactFactory, pdf_bytes
from tests.worlds import draft_of

pytestmark = pytest.mark.django_db


def test_the_portal_lists_open_calls_with_the_deadline_in_the_calls_time_zone(page, city):
    contact, call = city
    call.timezone = "Asia/Seoul"
    call.save()
    CallFactory(title="Closed call", deadline=timezone.now() - timedelta(days=1))
    html = page(contact).get("/city/").content.decode()
    assert call.title in html
    assert "Closed call" not in html
    assert "KST" in html  # the call's own clock
    assert f'data-countdown="{call.deadline.isoformat()}"' in html
    assert f"/city/calls/{call.slug}/new/" in html


def test_a_city_with_unpaid_dues_is_told_why_it_cannot_take_part(page, city):
    contact, call = city
    contact.organization.dues_paid_through = 2012
    contact.organization.save()
    html = page(contact).get("/city/").content.decode()
    assert "Membership dues must be paid through 2014" in html
    assert f"/city/calls/{call.slug}/new/" not in html


def test_a_city_starts_a_draft_and_is_taken_to_it(page, city):
    contact, call = city
    response = page(contact).post(
        f"/city/calls/{call.slug}/new/", {"title": "Superblocks", "theme": "Governance"}
    )
    entry = Submission.objects.get(organization=contact.organization)
    assert response.status_code == 302
    assert response["Location"] == f"/city/entries/{entry.pk}/"
    assert entry.status == "draft" and entry.created_by == contact


def test_a_draft_after_the_deadline_is_refused_with_the_services_message(page, city):
    contact, call = city
    call.deadline = timezone.now() - timedelta(minutes=1)
    call.save()
    response = page(contact).post(f"/city/calls/{call.slug}/new/", {"title": "Late"})
    assert response.status_code == 403
    assert "The deadline for this call passed at" in response.content.decode()
    assert not Submission.objects.exists()


def test_an_unknown_theme_is_shown_next_to_the_theme_field_with_a_400(page, city):
    contact, call = city
    entry = draft_of(contact, call)
    response = page(contact).post(
        f"/city/entries/{entry.pk}/", {"title": "Superblocks", "theme": "Astrology"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('id="field-theme"') :]
    field = field[: field.index("</div>")]
    assert "Unknown theme." in field and 'aria-invalid="true"' in field
    entry.refresh_from_db()
    assert entry.theme == "Governance"


def test_the_draft_page_wires_autosave_to_the_api_and_uploads_to_the_storage_in_use(
    page, city, settings
):
    contact, call = city
    entry = draft_of(contact, call)
    html = page(contact).get(f"/city/entries/{entry.pk}/").content.decode()
    assert f'data-autosave-url="/api/v1/submissions/{entry.pk}/"' in html
    assert 'data-storage="local"' in html
    assert f'data-api-local="/api/v1/submissions/{entry.pk}/attachments/"' in html
    settings.STORAGE_BACKEND = "s3"
    html = page(contact).get(f"/city/entries/{entry.pk}/").content.decode()
    assert 'data-storage="s3"' in html


def test_an_upload_without_the_script_goes_through_the_same_service(page, city):
    contact, call = city
    entry = draft_of(contact, call)
    pdf = pdf_bytes()
    response = page(contact).post(
        f"/city/entries/{entry.pk}/upload/",
        {
            "kind": "application_form",
            "file": SimpleUploadedFile("form.pdf", pdf, "application/pdf"),
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(submission=entry)
    assert attachment.state == "complete" and attachment.size == len(pdf)
    import hashlib

    assert attachment.sha256 == hashlib.sha256(pdf).hexdigest()


def test_a_renamed_file_is_refused_with_the_message_next_to_the_file(page, city):
    contact, call = city
    entry = draft_of(contact, call)
    response = page(contact).post(
        f"/city/entries/{entry.pk}/upload/",
        {
            "kind": "application_form",
            "file": SimpleUploadedFile("form.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        },
    )
    assert response.status_code == 415
    html = response.content.decode()
    block = html[html.index('id="file-errors"') :]
    assert "is not a valid application/pdf file" in block[: block.index("</div>")]
    assert not Attachment.objects.exists()


def test_submitting_needs_a_confirmation_and_lists_what_is_missing(page, city):
    contact, call = city
    entry = draft_of(contact, call, description="")
    client = page(contact)
    html = client.get(f"/city/entries/{entry.pk}/submit/").content.decode()
    assert "Before you can submit" in html
    assert "Attach a document of kind &#x27;Application form&#x27;." in html
    refused = client.post(f"/city/entries/{entry.pk}/submit/", {"confirm": "on"})
    assert refused.status_code == 400
    assert "The entry is not complete yet" in refused.content.decode()
    entry.refresh_from_db()
    assert entry.status == "draft"


def test_a_complete_entry_is_submitted_and_the_receipt_shows_its_hash(page, city):
    contact, call = city
    entry = draft_of(contact, call, description="What was done.")
    client = page(contact)
    client.post(
        f"/city/entries/{entry.pk}/upload/",
        {
            "kind": "application_form",
            "file": SimpleUploadedFile("form.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    unconfirmed = client.post(f"/city/entries/{entry.pk}/submit/", {})
    assert unconfirmed.status_code == 400
    response = client.post(f"/city/entries/{entry.pk}/submit/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"].endswith("/receipt/")
    entry.refresh_from_db()
    assert entry.status == "submitted" and len(entry.receipt_sha256) == 64
    html = client.get(response["Location"]).content.decode()
    assert entry.receipt_sha256 in html
    assert "form.pdf" in html


def test_a_city_never_opens_another_citys_entry(page, city):
    contact, call = city
    entry = draft_of(contact, call)
    other = page(CityContactFactory())
    for url in [
        f"/city/entries/{entry.pk}/",
        f"/city/entries/{entry.pk}/submit/",
        f"/city/entries/{entry.pk}/receipt/",
        f"/city/entries/{entry.pk}/withdraw/",
    ]:
        assert other.get(url).status_code == 404, url
    assert other.post(f"/city/entries/{entry.pk}/", {"title": "Mine now"}).status_code == 404
    upload = other.post(
        f"/city/entries/{entry.pk}/upload/",
        {"kind": "x", "file": SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf")},
    )
    assert upload.status_code == 404
    entry.refresh_from_db()
    assert entry.title == "Superblocks" and not entry.attachments.exists()


def test_an_extension_for_the_organization_is_shown_as_its_own_deadline(page, city):
    contact, call = city
    later = call.deadline + timedelta(days=5)
    DeadlineExtension.objects.create(
        call=call,
        organization=contact.organization,
        previous_deadline=call.deadline,
        deadline=later,
        reason="Strike",
    )
    html = page(contact).get("/city/").content.decode()
    assert "extended for your organization" in html
    assert later.isoformat() in html


def test_the_decision_shows_only_after_the_announcement(page, city):
    contact, call = city
    entry = draft_of(contact, call)
    Submission.objects.filter(pk=entry.pk).update(status="awarded")
    Decision.objects.create(call=call, submission=entry, outcome="awarded", rationale="Bold.")
    client = page(contact)
    call.announcement_at = timezone.now() + timedelta(days=1)
    call.save()
    html = client.get(f"/city/entries/{entry.pk}/").content.decode()
    assert "Decision of the Board" not in html
    assert "badge awarded" not in html and "Under review" in html  # the status tells nothing
    assert "badge awarded" not in client.get("/city/").content.decode()
    call.announcement_at = timezone.now() - timedelta(minutes=1)
    call.save()
    html = client.get(f"/city/entries/{entry.pk}/").content.decode()
    assert "Decision of the Board" in html and "Bold." not in html  # the rationale is internal
    assert 'class="badge awarded"' in client.get("/city/").content.decode()
