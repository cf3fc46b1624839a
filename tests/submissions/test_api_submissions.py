from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from submissions.models import Submission
from tests.factories import (
    CallFactory,
    CityContactFactory,
    OrganizationFactory,
    SecretariatFactory,
    SubmissionFactory,
    pdf_bytes,
)
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


def create(client, call, **fields):
    body = {
        "call": call.slug,
        "title": "Superblocks",
        "summary": "Streets for people",
        "description": "Long text",
        "theme": "Governance",
        **fields,
    }
    return client.post("/api/v1/submissions/", body, format="json")


def upload(client, submission_id, name="form.pdf", content=None, kind="application_form"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(
        name, content if content is not None else pdf_bytes(), content_type="application/pdf"
    )
    return client.post(
        f"/api/v1/submissions/{submission_id}/attachments/",
        {"file": file, "kind": kind},
        format="multipart",
    )


def test_a_city_contact_creates_edits_and_submits_a_draft_and_gets_a_receipt(
    django_capture_on_commit_callbacks,
):
    call = CallFactory(required_document_kinds=["application_form"])
    contact = CityContactFactory()
    client = client_for(contact)
    created = create(client, call)
    assert created.status_code == 201, created.json()
    entry = created.json()
    assert entry["status"] == "draft" and entry["organization"] == contact.organization_id

    edited = client.patch(
        f"/api/v1/submissions/{entry['id']}/", {"summary": "Better"}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["summary"] == "Better"

    refused = client.post(f"/api/v1/submissions/{entry['id']}/submit/")
    assert refused.status_code == 400
    assert "Application form" in refused.json()["error"]["message"]

    assert upload(client, entry["id"]).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(f"/api/v1/submissions/{entry['id']}/submit/")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    receipt = client.get(f"/api/v1/submissions/{entry['id']}/receipt/").json()
    assert len(receipt["sha256"]) == 64
    assert receipt["content"]["fields"]["summary"] == "Better"
    assert [m.to for m in mail.outbox] == [[contact.email]]
    assert receipt["sha256"] in mail.outbox[0].body


def test_a_submitted_entry_is_frozen():
    contact = CityContactFactory()
    entry = SubmissionFactory(organization=contact.organization, status="submitted")
    client = client_for(contact)
    answer = client.patch(f"/api/v1/submissions/{entry.pk}/", {"title": "New"}, format="json")
    assert answer.status_code == 409
    assert "can no longer be changed" in answer.json()["error"]["message"]
    assert upload(client, entry.pk).status_code == 409
    entry.refresh_from_db()
    assert entry.title != "New"


def test_after_the_deadline_every_write_is_refused_and_the_draft_is_kept():
    contact = CityContactFactory()
    call = CallFactory(
        deadline=timezone.now() - timedelta(seconds=1), opens_at=timezone.now() - timedelta(days=30)
    )
    entry = SubmissionFactory(call=call, organization=contact.organization, title="Kept")
    client = client_for(contact)
    for answer in [
        client.patch(f"/api/v1/submissions/{entry.pk}/", {"title": "Late"}, format="json"),
        client.post(f"/api/v1/submissions/{entry.pk}/submit/"),
        upload(client, entry.pk),
        create(client, call),
    ]:
        assert answer.status_code == 403
        assert answer.json()["error"]["code"] == "deadline_passed"
        assert "deadline for this call passed" in answer.json()["error"]["message"]
    entry.refresh_from_db()
    assert entry.title == "Kept" and entry.status == "draft"


def test_a_city_never_sees_another_citys_entry():
    mine, theirs = CityContactFactory(), CityContactFactory()
    entry = SubmissionFactory(organization=theirs.organization)
    client = client_for(mine)
    assert client.get(f"/api/v1/submissions/{entry.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/submissions/{entry.pk}/", {"title": "x"}, format="json").status_code
        == 404
    )
    assert client.post(f"/api/v1/submissions/{entry.pk}/submit/").status_code == 404
    assert upload(client, entry.pk).status_code == 404
    assert client.get(f"/api/v1/submissions/{entry.pk}/attachments/").status_code == 404
    assert client.get("/api/v1/submissions/").json()["count"] == 0


def test_a_city_with_unpaid_dues_cannot_start_an_entry():
    contact = CityContactFactory(organization=OrganizationFactory(dues_paid_through=2012))
    answer = create(client_for(contact), CallFactory(dues_required_through=2014))
    assert answer.status_code == 403
    assert "dues must be paid through 2014" in answer.json()["error"]["message"]


def test_the_entry_quota_is_enforced():
    contact = CityContactFactory()
    call = CallFactory(max_submissions_per_organization=1)
    client = client_for(contact)
    assert create(client, call).status_code == 201
    answer = create(client, call, title="Second")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "quota_reached"


def test_an_unknown_theme_is_refused_with_the_valid_ones():
    answer = create(client_for(CityContactFactory()), CallFactory(), theme="Space travel")
    assert answer.status_code == 400
    assert "Governance" in answer.json()["error"]["message"]


def test_errors_share_one_body_shape():
    client = client_for(CityContactFactory())
    for answer in [
        client.post("/api/v1/submissions/", {}, format="json"),
        client.get("/api/v1/submissions/999999/"),
        client.get("/api/v1/organizations/"),
    ]:
        assert set(answer.json()) == {"error"}
        assert set(answer.json()["error"]) == {"code", "message", "fields"}


def test_the_secretariat_rules_on_eligibility_with_a_reason():
    entry = SubmissionFactory(status="submitted")
    client = client_for(SecretariatFactory())
    missing = client.post(
        f"/api/v1/submissions/{entry.pk}/eligibility/", {"eligible": False}, format="json"
    )
    assert missing.status_code == 400
    answer = client.post(
        f"/api/v1/submissions/{entry.pk}/eligibility/",
        {"eligible": False, "reason": "Dues unpaid"},
        format="json",
    )
    assert answer.json()["status"] == "ineligible"
    contact = CityContactFactory(organization=entry.organization)
    assert (
        client_for(contact)
        .post(f"/api/v1/submissions/{entry.pk}/eligibility/", {"eligible": True}, format="json")
        .status_code
        == 403
    )


def test_filters_narrow_the_list():
    staff = client_for(SecretariatFactory())
    call, other = CallFactory(), CallFactory()
    SubmissionFactory(call=call, status="submitted")
    SubmissionFactory(call=call)
    SubmissionFactory(call=other)
    assert staff.get(f"/api/v1/submissions/?call={call.slug}").json()["count"] == 2
    assert staff.get(f"/api/v1/submissions/?call={call.slug}&status=submitted").json()["count"] == 1


def _count_list_queries(client, call) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(f"/api/v1/submissions/?call={call.slug}&page_size=500")
    assert answer.status_code == 200
    return len(queries)


def test_the_submission_list_makes_the_same_number_of_queries_for_few_and_many_rows():
    staff = client_for(SecretariatFactory())
    call = CallFactory()
    for _ in range(3):
        SubmissionFactory(call=call)
    few = _count_list_queries(staff, call)
    for _ in range(30):
        SubmissionFactory(call=call)
    assert _count_list_queries(staff, call) == few


def test_submissions_require_authentication(api):
    assert api.get("/api/v1/submissions/").status_code in (401, 403)
    assert Submission.objects.count() == 0
