import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from submissions.models import Attachment, AuditEvent
from tests.factories import (
    PASSWORD,
    CallFactory,
    CityContactFactory,
    SecretariatFactory,
    SubmissionFactory,
    pdf_bytes,
)
from tests.support.clients import client_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_password_guessing_is_stopped_after_a_few_failures(api, settings):
    settings.LOGIN_MAX_FAILURES = 3
    user = CityContactFactory()
    for _ in range(3):
        wrong = api.post(
            "/api/v1/auth/token/", {"username": user.username, "password": "guess"}, format="json"
        )
        assert wrong.status_code == 400
    blocked = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.json()["error"]["message"]


@pytest.mark.django_db
def test_a_success_clears_earlier_failures(api, settings):
    settings.LOGIN_MAX_FAILURES = 3
    user = CityContactFactory()
    for _ in range(2):
        api.post("/api/v1/auth/token/", {"username": user.username, "password": "x"}, format="json")
    ok = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert ok.status_code == 200
    for _ in range(2):
        api.post("/api/v1/auth/token/", {"username": user.username, "password": "x"}, format="json")
    assert (
        api.post(
            "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
        ).status_code
        == 200
    )


@pytest.mark.django_db
def test_every_response_carries_a_content_security_policy(client):
    answer = client.get("/api/v1/schema/")
    assert "default-src 'self'" in answer["Content-Security-Policy"]
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_audit_log_is_for_the_secretariat_only():
    staff = SecretariatFactory()
    call = CallFactory()
    client_for(staff).post(
        f"/api/v1/calls/{call.slug}/extend-deadline/",
        {"deadline": (call.deadline + timedelta(days=2)).isoformat(), "reason": "Congress"},
        format="json",
    )
    log = client_for(staff).get(f"/api/v1/audit/?call={call.slug}&action=call.").json()
    assert [e["action"] for e in log["results"]] == ["call.deadline_extended"]
    assert log["results"][0]["actor"] == staff.username
    assert client_for(CityContactFactory()).get("/api/v1/audit/").status_code == 403
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_abandoned_uploads_are_removed_and_complete_ones_kept(settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    entry = SubmissionFactory()
    kept_key = default_storage.save("submissions/x/kept.pdf", ContentFile(pdf_bytes()))
    stale_key = default_storage.save("submissions/x/stale.pdf", ContentFile(b"%PDF-1.4 partial"))
    kept = Attachment.objects.create(
        submission=entry,
        kind="form",
        original_name="kept.pdf",
        file=kept_key,
        content_type="application/pdf",
        size=1,
        state="complete",
    )
    stale = Attachment.objects.create(
        submission=entry,
        kind="form",
        original_name="stale.pdf",
        file=stale_key,
        content_type="application/pdf",
        size=1,
    )
    fresh = Attachment.objects.create(
        submission=entry,
        kind="form",
        original_name="fresh.pdf",
        file="submissions/x/fresh.pdf",
        content_type="application/pdf",
        size=1,
    )
    Attachment.objects.filter(pk__in=[kept.pk, stale.pk]).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    call_command("cleanup_uploads", "--older-than-hours", "24")
    assert set(Attachment.objects.values_list("pk", flat=True)) == {kept.pk, fresh.pk}
    assert default_storage.exists(kept_key) and not default_storage.exists(stale_key)


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "awards.metropolis.org",
        "DATABASE_URL": "sqlite:///:memory:",  # the check needs no data
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_uploaded_files_are_never_served_inline_from_our_origin():
    contact = CityContactFactory()
    entry = SubmissionFactory(organization=contact.organization)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(contact)
    attachment = client.post(
        f"/api/v1/submissions/{entry.pk}/attachments/",
        {"file": SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf"), "kind": "form"},
        format="multipart",
    ).json()
    answer = client.get(attachment["download_url"])
    assert answer["Content-Disposition"].startswith("attachment")
    assert "sandbox" in answer["Content-Security-Policy"]
    assert client.get("/media/").status_code == 404  # no public route to stored files
