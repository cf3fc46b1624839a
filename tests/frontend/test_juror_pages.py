"""Juror workspace: own work with progress, blind calls stay blind, the score form, declining."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape

from jury.models import Assignment, Conflict
from scoring.models import ScoreSheet
from tests.factories import CityContactFactory, JurorFactory, pdf_bytes
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


def _first_assignment(scene, juror=None) -> Assignment:
    juror = juror or scene.jurors[1]
    return Assignment.objects.filter(juror=juror).order_by("id").first()


def _opened(scene, page):
    """A juror's first assignment after the optimal plan, their client, and the sheet the
    assignment's page opened."""
    scene.assign()
    assignment = _first_assignment(scene)
    client = page(assignment.juror)
    client.get(f"/juror/assignments/{assignment.pk}/")
    return assignment, client, ScoreSheet.objects.get(assignment=assignment)


def _score_post(scene, version, **overrides):
    data = {"version": version, "comment": "Convincing."}
    for criterion in scene.criteria:
        data[f"value_{criterion.key}"] = "7"
        data[f"comment_{criterion.key}"] = "Clear results."
    data.update(overrides)
    return data


def test_the_workspace_lists_own_assignments_with_progress_and_the_jury_deadline(page, scene):
    scene.assign()
    juror = scene.jurors[1]
    mine = Assignment.objects.filter(juror=juror)
    html = page(juror).get("/juror/").content.decode()
    assert f"0 of {mine.count()} done" in html
    assert scene.round.name in html
    assert f'data-countdown="{scene.round.jury_deadline.isoformat()}"' in html
    for assignment in Assignment.objects.exclude(juror=juror):
        if not mine.filter(submission=assignment.submission).exists():
            assert f"/juror/assignments/{assignment.pk}/" not in html


def test_a_juror_cannot_open_someone_elses_assignment(page, scene):
    scene.assign()
    other = Assignment.objects.exclude(juror=scene.jurors[1]).first()
    assert page(scene.jurors[1]).get(f"/juror/assignments/{other.pk}/").status_code == 404


def test_the_score_form_shows_each_criterion_with_its_description_and_levels(page, scene):
    scene.assign()
    assignment = _first_assignment(scene)
    html = page(assignment.juror).get(f"/juror/assignments/{assignment.pk}/").content.decode()
    for criterion in scene.criteria:
        assert escape(criterion.label) in html and escape(criterion.description) in html
        assert f'id="levels-{criterion.key}"' in html
    assert "exemplary" in html and "A model for other cities." in html
    assert 'min="1"' in html and 'max="10"' in html and 'step="1"' in html
    sheet = ScoreSheet.objects.get(assignment=assignment)  # opening the page opens the sheet
    assert f'data-score-sheet="/api/v1/score-sheets/{sheet.pk}/"' in html


def test_a_draft_is_saved_and_an_out_of_range_value_is_shown_next_to_its_field(page, scene):
    assignment, client, sheet = _opened(scene, page)
    response = client.post(
        f"/juror/assignments/{assignment.pk}/",
        _score_post(scene, sheet.version, value_innovation="12"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    block = html[html.index('id="criterion-innovation"') :]
    block = block[: block.index("</fieldset>")]
    assert "Must be between 1 and 10." in block and 'aria-invalid="true"' in block
    sheet.refresh_from_db()
    assert not sheet.scores.exists()

    saved = client.post(f"/juror/assignments/{assignment.pk}/", _score_post(scene, sheet.version))
    assert saved.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "draft" and sheet.scores.count() == 3


def test_a_stale_version_is_refused_and_nothing_is_overwritten(page, scene):
    assignment, client, sheet = _opened(scene, page)
    client.post(f"/juror/assignments/{assignment.pk}/", _score_post(scene, sheet.version))
    stale = client.post(
        f"/juror/assignments/{assignment.pk}/",
        _score_post(scene, sheet.version, value_impact="3"),
    )
    assert stale.status_code == 412
    assert "another tab or window" in stale.content.decode()
    assert sheet.scores.get(criterion__key="impact").value == 7


def test_submitting_locks_the_sheet_and_counts_in_the_progress(page, scene):
    assignment, client, sheet = _opened(scene, page)
    response = client.post(
        f"/juror/assignments/{assignment.pk}/",
        {**_score_post(scene, sheet.version), "action": "submit", "confirm_lock": "1"},
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "submitted"
    total = Assignment.objects.filter(juror=assignment.juror).count()
    assert f"1 of {total} done" in client.get("/juror/").content.decode()
    html = client.get(f"/juror/assignments/{assignment.pk}/").content.decode()
    assert "It is locked" in html and "data-score-sheet" not in html


def test_an_incomplete_sheet_cannot_be_submitted(page, scene):
    assignment, client, sheet = _opened(scene, page)
    response = client.post(
        f"/juror/assignments/{assignment.pk}/",
        {
            **_score_post(scene, sheet.version, value_transfer="", comment_impact=""),
            "action": "submit",
            "confirm_lock": "1",
        },
    )
    assert response.status_code == 400
    sheet.refresh_from_db()
    assert sheet.status == "draft"


def test_declining_needs_a_reason_shown_next_to_the_field(page, scene):
    scene.assign()
    assignment = _first_assignment(scene)
    client = page(assignment.juror)
    refused = client.post(f"/juror/assignments/{assignment.pk}/decline/", {"decline-reason": ""})
    assert refused.status_code == 400
    html = refused.content.decode()
    block = html[html.index('id="field-decline-reason"') :]
    assert "Required." in block[: block.index("</div>")]
    done = client.post(
        f"/juror/assignments/{assignment.pk}/decline/", {"decline-reason": "Travelling."}
    )
    assert done.status_code == 302
    assignment.refresh_from_db()
    assert assignment.declined_at is not None
    assert f"/juror/assignments/{assignment.pk}/" not in client.get("/juror/").content.decode()


def test_declaring_a_conflict_hides_the_entry_at_once(page, scene):
    scene.assign()
    assignment = _first_assignment(scene)
    client = page(assignment.juror)
    response = client.post(
        f"/juror/assignments/{assignment.pk}/conflict/", {"conflict-reason": "I advised them."}
    )
    assert response.status_code == 302
    assert Conflict.objects.filter(
        juror=assignment.juror, submission=assignment.submission, dismissed_at=None
    ).exists()
    assert client.get(f"/juror/assignments/{assignment.pk}/").status_code == 404


def test_after_the_jury_deadline_the_form_is_read_only(page, scene):
    scene.assign()
    scene.round.jury_deadline = timezone.now() - timedelta(minutes=1)
    scene.round.save()
    assignment = _first_assignment(scene)
    html = page(assignment.juror).get(f"/juror/assignments/{assignment.pk}/").content.decode()
    assert "The jury deadline of" in html
    assert "data-score-sheet" not in html and "disabled" in html


def test_no_page_shows_a_blind_calls_entrant_to_a_juror(page, make_scene):
    scene = make_scene(blind=True)
    entry = scene.entries[0]
    entry.organization.name = entry.organization.city = "Medellín"
    entry.organization.save()
    entry.description = "Medellín built the Metrocable to reach hillside districts."
    entry.status = "draft"
    entry.save()
    contact = CityContactFactory(organization=entry.organization)
    client_for(contact).post(
        f"/api/v1/submissions/{entry.pk}/attachments/",
        {
            "file": SimpleUploadedFile("medellin-metrocable.pdf", pdf_bytes(), "application/pdf"),
            "kind": "application_form",
        },
        format="multipart",
    )
    entry.status = "eligible"
    entry.save()
    scene.assign(per_entry=4)
    for juror in scene.jurors:
        client = page(juror)
        pages = [client.get("/juror/")]
        for assignment in Assignment.objects.filter(juror=juror):
            pages.append(client.get(f"/juror/assignments/{assignment.pk}/"))
            pages.append(
                client.post(f"/juror/assignments/{assignment.pk}/decline/", {"decline-reason": ""})
            )
        for response in pages:
            html = response.content.decode()
            assert not re.search("medell", html, re.IGNORECASE), response.request["PATH_INFO"]
        assignment = Assignment.objects.filter(juror=juror, submission=entry).first()
        html = client.get(f"/juror/assignments/{assignment.pk}/").content.decode()
        assert "[entrant] built the Metrocable" in html
        assert f"entry-{entry.pk}-application_form-" in html


def test_a_juror_with_no_assignment_is_told_so(page, db):
    html = page(JurorFactory()).get("/juror/").content.decode()
    assert "Nothing is assigned to you" in html
