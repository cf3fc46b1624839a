"""Uploads from a real browser: straight to S3 (moto's server over HTTP) with the presigned
POST, and through the API on local storage; refusals appear next to the file."""

import hashlib

import pytest

from submissions.models import Attachment
from tests.factories import PASSWORD, CityContactFactory, SubmissionFactory, pdf_bytes

pytestmark = pytest.mark.browser


def _expect():
    from playwright.sync_api import expect

    return expect


@pytest.fixture
def draft(transactional_db):
    contact = CityContactFactory(username="quito")
    return SubmissionFactory(organization=contact.organization)


def _upload(page, entry, path):
    page.goto(f"/city/entries/{entry.pk}/")
    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()


@pytest.mark.s3
def test_a_file_goes_straight_to_s3_and_is_checked_before_it_counts(
    browser, draft, s3, moto_endpoint, settings, tmp_path
):
    expect = _expect()
    content = pdf_bytes("Quito: the Metro line")
    good = tmp_path / "metro.pdf"
    good.write_bytes(content)
    # As in production with STORAGE_BACKEND=s3: the page may connect to the S3 endpoint.
    settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY.replace(
        "connect-src 'self'", f"connect-src 'self' {moto_endpoint}"
    )
    page = browser.signed_in("quito", PASSWORD)
    _upload(page, draft, good)
    expect(page.locator("#files")).to_contain_text("metro.pdf was uploaded.")
    # complete answered 202 and the check ran after the commit (tasks in the same process
    # here, as with `make run`); the page waited for the outcome before saying so.
    attachment = Attachment.objects.get(submission=draft)
    assert attachment.state == "complete"
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=s3.bucket)["Contents"]]
    assert keys == [attachment.file.name]

    renamed = tmp_path / "budget.pdf"
    renamed.write_bytes(b"MZ\x90\x00 a program, not a PDF" * 10)
    _upload(page, draft, renamed)
    errors = page.locator("#file-errors")
    expect(errors).to_contain_text("budget.pdf was not uploaded")
    expect(errors).to_contain_text("is not a valid application/pdf file")
    expect(page.get_by_label("File", exact=True)).to_have_attribute("aria-invalid", "true")
    # The refused file is listed with its reason; it does not count and its bytes are gone.
    refused = page.locator('#files li[data-file-state="rejected"]')
    expect(refused).to_contain_text("budget.pdf")
    expect(refused).to_contain_text("Refused")
    states = sorted(Attachment.objects.filter(submission=draft).values_list("state", flat=True))
    assert states == ["complete", "rejected"]
    assert len(s3.list_objects_v2(Bucket=s3.bucket)["Contents"]) == 1  # the bad one is deleted


def test_on_local_storage_a_refused_file_is_explained_next_to_it(browser, draft, tmp_path):
    expect = _expect()
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    page = browser.signed_in("quito", PASSWORD)
    _upload(page, draft, empty)
    expect(page.locator("#file-errors")).to_contain_text("is empty")
    assert not Attachment.objects.exists()
