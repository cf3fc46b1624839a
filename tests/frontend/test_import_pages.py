"""The secretariat's import page and the import API: preview, then apply, in the reader's
language; bad files answer a 4xx with a message and save nothing."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions.models import Organization, OutboxMessage, User
from tests.factories import JurorFactory, OrganizationFactory, SecretariatFactory
from tests.submissions.test_imports import CITIES, csv_bytes
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


def upload(name, data, content_type="text/csv"):
    return SimpleUploadedFile(name, data, content_type)


def hidden(html: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def test_the_page_previews_then_applies_and_a_second_import_is_all_unchanged(page):
    staff = page(SecretariatFactory())
    assert staff.get("/secretariat/imports/").status_code == 200
    preview = staff.post(
        "/secretariat/imports/",
        {"kind": "members", "file": upload("members.csv", csv_bytes(CITIES[:4]))},
    )
    html = preview.content.decode()
    assert preview.status_code == 200 and Organization.objects.count() == 0
    assert html.count('<tr class="import-new">') == 3
    assert "Apply: save 3 rows" in html

    fields = hidden(html)
    applied = staff.post("/secretariat/imports/apply/", fields, follow=True)
    assert Organization.objects.count() == 3
    assert "3 new, 0 updated, 0 unchanged; 0 refused rows left out" in applied.content.decode()

    again = staff.post(
        "/secretariat/imports/",
        {"kind": "members", "file": upload("members.csv", csv_bytes(CITIES[:4]))},
    ).content.decode()
    assert again.count('<tr class="import-unchanged">') == 3
    assert "Nothing to save" in again and "Apply:" not in again


def test_a_preview_applied_after_the_data_changed_shows_the_new_preview(page):
    staff = page(SecretariatFactory())
    html = staff.post(
        "/secretariat/imports/",
        {"kind": "members", "file": upload("members.csv", csv_bytes(CITIES[:2]))},
    ).content.decode()
    OrganizationFactory(name="Barcelona", city="Barcelona", country="Spain", dues_paid_through=2012)
    outdated = staff.post("/secretariat/imports/apply/", hidden(html))
    assert outdated.status_code == 409
    assert "The data changed since the preview" in outdated.content.decode()
    assert Organization.objects.get().dues_paid_through == 2012


def test_rows_refused_and_files_refused_are_explained_in_french(page):
    staff = page(SecretariatFactory())
    staff.cookies["django_language"] = "fr"
    rows = [CITIES[0], ["Atlantis", "Atlantis", "Nowhere", "Mars", "2014"]]
    html = staff.post(
        "/secretariat/imports/", {"kind": "members", "file": upload("m.csv", csv_bytes(rows))}
    ).content.decode()
    assert "Refusée" in html and "Région inconnue « Mars »" in html
    bad = staff.post(
        "/secretariat/imports/",
        {"kind": "members", "file": upload("m.csv", "name\nMálaga\n".encode("cp1252"))},
    )
    assert bad.status_code == 400
    assert "Le fichier n'est pas en UTF-8" in unescape(bad.content.decode())
    pdf = staff.post(
        "/secretariat/imports/",
        {"kind": "members", "file": upload("m.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert pdf.status_code == 415 and Organization.objects.count() == 0


def test_contacts_imported_through_the_page_get_their_invitation(page):
    OrganizationFactory(name="Dakar")
    staff = page(SecretariatFactory())
    rows = [["username", "email", "organization"], ["awa", "awa@dakar.sn", "Dakar"]]
    html = staff.post(
        "/secretariat/imports/", {"kind": "contacts", "file": upload("c.csv", csv_bytes(rows))}
    ).content.decode()
    staff.post("/secretariat/imports/apply/", hidden(html))
    assert User.objects.get(username="awa").organization.name == "Dakar"
    assert OutboxMessage.objects.filter(to="awa@dakar.sn", kind="user.invitation").count() == 1


def test_the_api_previews_and_applies_with_the_same_service():
    api = client_for(SecretariatFactory())
    data = csv_bytes(CITIES[:6])
    preview = api.post(
        "/api/v1/imports/members/preview/", {"file": upload("m.csv", data)}, format="multipart"
    )
    assert preview.status_code == 200 and preview.json()["counts"]["new"] == 5
    assert Organization.objects.count() == 0
    applied = api.post(
        "/api/v1/imports/members/apply/",
        {"file": upload("m.csv", data), "digest": preview.json()["digest"]},
        format="multipart",
    )
    assert applied.status_code == 201 and Organization.objects.count() == 5
    stale = api.post(
        "/api/v1/imports/members/apply/",
        {"file": upload("m.csv", data), "digest": preview.json()["digest"]},
        format="multipart",
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "import_preview_outdated"


def test_the_api_refuses_a_bad_file_with_its_error_shape_and_other_roles():
    api = client_for(SecretariatFactory())
    bad = api.post(
        "/api/v1/imports/members/apply/",
        {"file": upload("m.csv", b"name,town\nA,B\n")},
        format="multipart",
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "import_missing_columns"
    assert "Columns missing: city, country, region" in bad.json()["error"]["message"]
    unknown = api.post(
        "/api/v1/imports/planets/preview/", {"file": upload("m.csv", b"a")}, format="multipart"
    )
    assert unknown.status_code == 404
    juror = client_for(JurorFactory())
    refused = juror.post(
        "/api/v1/imports/members/apply/",
        {"file": upload("m.csv", csv_bytes(CITIES))},
        format="multipart",
    )
    assert refused.status_code == 403 and Organization.objects.count() == 0
