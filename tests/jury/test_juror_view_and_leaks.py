"""What a juror sees: own work only, blind calls stay blind, a conflict hides an entry."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jury.models import Assignment, Conflict
from submissions.models import Attachment
from tests.factories import CityContactFactory, pdf_bytes
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


def attach(entry, name="medellin-metrocable.pdf"):
    contact = CityContactFactory(organization=entry.organization)
    entry.status = "draft"
    entry.save()
    client_for(contact).post(
        f"/api/v1/submissions/{entry.pk}/attachments/",
        {"file": SimpleUploadedFile(name, pdf_bytes(), "application/pdf"), "kind": "form"},
        format="multipart",
    )
    entry.status = "eligible"
    entry.save()
    return Attachment.objects.get(submission=entry)


def assign_all(jury):
    client_for(jury.staff).post(
        f"/api/v1/calls/{jury.call.slug}/assignments/auto/",
        {"reviewers_per_submission": 2, "max_per_juror": 10, "dry_run": False},
        format="json",
    )


def test_a_juror_sees_only_their_own_assignments_with_content_and_files(jury):
    attach(jury.entries[0])
    assign_all(jury)
    juror = jury.jurors[1]
    data = client_for(juror).get("/api/v1/juror/assignments/").json()
    mine = set(Assignment.objects.filter(juror=juror).values_list("pk", flat=True))
    assert {row["id"] for row in data["results"]} == mine
    row = data["results"][0]
    assert row["submission"]["description"] and row["jury_deadline"]
    other = (
        Assignment.objects.exclude(juror=juror)
        .exclude(submission_id__in=Assignment.objects.filter(juror=juror).values("submission_id"))
        .first()
    )
    assert client_for(juror).get(f"/api/v1/juror/assignments/{other.pk}/").status_code == 404
    assert client_for(juror).get(f"/api/v1/submissions/{other.submission_id}/").status_code == 404


def test_a_blind_call_hides_the_entrant_from_every_juror_response_file_name_and_header(make_jury):
    jury = make_jury(blind=True)
    entry = jury.entries[0]
    entry.organization.name, entry.organization.city = "Medellín", "Medellín"
    entry.organization.save()
    entry.description = "Medellín built the Metrocable to reach hillside districts."
    entry.save()
    attachment = attach(entry)
    assign_all(jury)
    juror = Assignment.objects.filter(submission=entry).first().juror
    client = client_for(juror)
    responses = [
        client.get("/api/v1/juror/assignments/"),
        client.get(f"/api/v1/submissions/{entry.pk}/"),
        client.get("/api/v1/submissions/"),
        client.get(f"/api/v1/submissions/{entry.pk}/attachments/"),
        client.get(f"/api/v1/attachments/{attachment.pk}/"),
        client.get(f"/api/v1/attachments/{attachment.pk}/download/"),
        client.get(f"/api/v1/submissions/{entry.pk}/receipt/"),
    ]
    for answer in responses:
        headers = json.dumps(dict(answer.items()))
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        for secret in ("Medell", "medell"):
            assert secret not in headers, answer.request["PATH_INFO"]
        for secret in (b"Medell", b"medell"):
            assert secret not in body, (answer.request["PATH_INFO"], body[:300])
    assert responses[5]["Content-Disposition"].startswith(
        f'attachment; filename="entry-{entry.pk}-'
    )
    # The city itself still sees its own name.
    contact = CityContactFactory(organization=entry.organization)
    assert "Medell" in client_for(contact).get(f"/api/v1/submissions/{entry.pk}/").content.decode()


@pytest.mark.parametrize("who", ["juror", "chair"])
def test_a_conflicted_juror_or_chair_cannot_reach_the_entry_by_any_endpoint(jury, who):
    entry = jury.entries[0]
    attachment = attach(entry)
    assign_all(jury)
    person = (
        jury.chair
        if who == "chair"
        else Assignment.objects.filter(submission=entry).exclude(juror=jury.chair).first().juror
    )
    client = client_for(person)
    client.post("/api/v1/conflicts/", {"submission": entry.pk, "reason": "My city"}, format="json")
    assert Conflict.objects.filter(submission=entry, juror=person, dismissed_at=None).exists()
    other_juror = Assignment.objects.filter(submission=entry).exclude(juror=person).first().juror
    slug = jury.call.slug
    for url in [
        f"/api/v1/submissions/{entry.pk}/",
        f"/api/v1/submissions/{entry.pk}/attachments/",
        f"/api/v1/attachments/{attachment.pk}/",
        f"/api/v1/attachments/{attachment.pk}/download/",
        f"/api/v1/submissions/{entry.pk}/receipt/",
    ]:
        assert client.get(url).status_code == 404, url
    listings = {
        "submissions": client.get(f"/api/v1/submissions/?call={slug}&page_size=500").json(),
        "juror": client.get("/api/v1/juror/assignments/?page_size=500").json(),
        "attachments": client.get("/api/v1/attachments/?page_size=500").json(),
    }
    ids = [r["id"] for r in listings["submissions"]["results"]]
    assert entry.pk not in ids
    assert all(r["submission"]["id"] != entry.pk for r in listings["juror"]["results"])
    assert all(r["id"] != attachment.pk for r in listings["attachments"]["results"])
    if who == "chair":
        assert listings["submissions"]["count"] == len(jury.entries) - 1
        assignments = client.get(f"/api/v1/calls/{slug}/assignments/?page_size=500").json()
        assert all(a["submission"] != entry.pk for a in assignments["results"])
        conflicts = client.get("/api/v1/conflicts/?page_size=500").json()
        assert all(
            c["submission"] != entry.pk for c in conflicts["results"] if c["juror"] != person.pk
        )
        progress = {
            r["username"]: r for r in client.get(f"/api/v1/calls/{slug}/progress/").json()["jurors"]
        }
        staff_view = {
            r["username"]: r
            for r in client_for(jury.staff).get(f"/api/v1/calls/{slug}/progress/").json()["jurors"]
        }
        assert (
            progress[other_juror.username]["assigned"]
            == staff_view[other_juror.username]["assigned"] - 1
        )
