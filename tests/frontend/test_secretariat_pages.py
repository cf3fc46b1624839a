"""Secretariat: calls and deadlines, eligibility, assignment preview then apply, progress,
reminders, shortlist and release."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from jury.models import Assignment
from submissions.models import Call, DeadlineExtension, OutboxMessage
from tests.factories import CallFactory, SecretariatFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

TIMES = "\N{MULTIPLICATION SIGN}"


@pytest.fixture
def staff(db):
    return SecretariatFactory()


def test_the_dashboard_lists_calls_with_entries_to_review(page, staff):
    call = CallFactory()
    SubmissionFactory(call=call, status="submitted")
    html = page(staff).get("/secretariat/").content.decode()
    assert call.title in html
    assert f"/secretariat/calls/{call.slug}/eligibility/" in html
    assert "/admin/" in html


def test_a_deadline_is_extended_in_the_calls_own_time_zone_with_a_reason(page, staff):
    call = CallFactory(timezone="America/Bogota")
    new = timezone.localtime(call.deadline + timedelta(days=3), call.tzinfo)
    response = page(staff).post(
        f"/secretariat/calls/{call.slug}/extend/",
        {"deadline": new.strftime("%Y-%m-%dT%H:%M"), "reason": "Floods in the region."},
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.deadline == new.replace(second=0, microsecond=0)
    assert DeadlineExtension.objects.get(call=call).reason == "Floods in the region."


def test_an_earlier_deadline_is_refused_next_to_the_field(page, staff):
    call = CallFactory()
    earlier = timezone.localtime(call.deadline - timedelta(days=1), call.tzinfo)
    response = page(staff).post(
        f"/secretariat/calls/{call.slug}/extend/",
        {"deadline": earlier.strftime("%Y-%m-%dT%H:%M"), "reason": "Oops"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    block = html[html.index('id="field-deadline"') :]
    assert "Must be later than the deadline in force." in block[: block.index("</div>")]
    assert not DeadlineExtension.objects.exists()


def test_a_missing_reason_is_refused_by_the_service(page, staff):
    call = CallFactory()
    later = timezone.localtime(call.deadline + timedelta(days=1), call.tzinfo)
    response = page(staff).post(
        f"/secretariat/calls/{call.slug}/extend/",
        {"deadline": later.strftime("%Y-%m-%dT%H:%M"), "reason": " "},
    )
    assert response.status_code == 400
    assert "Give a reason for the extension." in response.content.decode()


def test_a_call_is_created_through_the_apis_validation(page, staff):
    data = {
        "title": "Metropolis Award 2026",
        "slug": "award-2026",
        "kind": "award",
        "themes": "Governance\nEnvironment",
        "timezone": "Europe/Paris",
        "opens_at": "2026-01-10T09:00",
        "deadline": "2026-01-01T09:00",
        "max_submissions_per_organization": 2,
        "required_document_kinds": "application_form",
    }
    refused = page(staff).post("/secretariat/calls/new/", data)
    assert refused.status_code == 400
    html = refused.content.decode()
    block = html[html.index('id="field-deadline"') :]
    assert "The deadline must come after the opening." in block[: block.index("</div>")]
    created = page(staff).post("/secretariat/calls/new/", {**data, "deadline": "2026-03-01T23:59"})
    assert created.status_code == 302
    call = Call.objects.get(slug="award-2026")
    assert call.themes == ["Governance", "Environment"]
    assert timezone.localtime(call.deadline, call.tzinfo).hour == 23


def test_editing_a_call_never_moves_its_deadline(page, staff):
    call = CallFactory()
    before = call.deadline
    form = page(staff).get(f"/secretariat/calls/{call.slug}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "opens_at": timezone.localtime(call.opens_at, call.tzinfo).strftime("%Y-%m-%dT%H:%M"),
            "deadline": "2030-01-01T00:00",
            "themes": "Governance",
            "required_document_kinds": "",
            "title": "Renamed",
            "blind": "on",
            "announcement_at": "2030-06-01T12:00",
        }
    )
    response = page(staff).post(f"/secretariat/calls/{call.slug}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    call.refresh_from_db()
    assert call.title == "Renamed" and call.blind and call.deadline == before
    assert timezone.localtime(call.announcement_at, call.tzinfo).strftime("%Y-%m-%d %H:%M") == (
        "2030-06-01 12:00"
    )


def test_eligibility_is_decided_with_a_reason_when_ineligible(page, staff):
    entry = SubmissionFactory(status="submitted")
    client = page(staff)
    html = client.get(f"/secretariat/calls/{entry.call.slug}/eligibility/").content.decode()
    assert entry.title in html
    refused = client.post(f"/secretariat/entries/{entry.pk}/", {"eligible": "0", "reason": ""})
    assert refused.status_code == 400
    assert "Give the reason an entry is ineligible." in refused.content.decode()
    ok = client.post(f"/secretariat/entries/{entry.pk}/", {"eligible": "1"})
    assert ok.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "eligible"


def test_the_assignment_preview_saves_nothing_and_apply_saves_the_plan(page, scene):
    client = page(scene.staff)
    url = f"/secretariat/calls/{scene.call.slug}/assignment/"
    preview = client.post(url, {"reviewers_per_submission": 2, "max_per_juror": 10, "apply": "0"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Apply this plan" in html and "balanced" in html
    assert not Assignment.objects.exists()
    applied = client.post(url, {"reviewers_per_submission": 2, "max_per_juror": 10, "apply": "1"})
    assert applied.status_code == 302
    assert Assignment.objects.count() == 2 * len(scene.entries)


def test_an_impossible_plan_is_explained_with_a_4xx(page, scene):
    response = page(scene.staff).post(
        f"/secretariat/calls/{scene.call.slug}/assignment/",
        {"reviewers_per_submission": 9, "max_per_juror": 10, "apply": "0"},
    )
    assert 400 <= response.status_code < 500
    assert 'class="notice error"' in response.content.decode()


def test_the_chair_runs_the_assignment_but_another_juror_cannot(page, scene):
    url = f"/secretariat/calls/{scene.call.slug}/assignment/"
    assert page(scene.chair).get(url).status_code == 200
    assert page(scene.jurors[1]).get(url).status_code == 403
    assert page(scene.chair).get(f"/secretariat/calls/{scene.call.slug}/").status_code == 403


def test_progress_shows_each_juror_and_reminders_are_sent_once(page, scene):
    scene.assign()
    scene.round.jury_deadline = timezone.now() + timedelta(days=2)
    scene.round.save()
    client = page(scene.staff)
    html = client.get(f"/secretariat/calls/{scene.call.slug}/progress/").content.decode()
    for juror in scene.jurors:
        assert juror.username in html
    assert "reminders are due now" in html
    mail.outbox.clear()
    response = client.post("/secretariat/reminders/", {"next": "/secretariat/"})
    assert response.status_code == 302 and response["Location"] == "/secretariat/"
    sent = OutboxMessage.objects.filter(kind="reminder.juror").count()
    assert sent == len(scene.jurors)
    client.post("/secretariat/reminders/", {"next": "https://evil.example/"})
    assert OutboxMessage.objects.filter(kind="reminder.juror").count() == sent


def test_results_are_shortlisted_then_released_to_the_board(page, scene):
    scene.assign()
    scene.score_all()
    client = page(scene.staff)
    url = f"/secretariat/calls/{scene.call.slug}/results/?round=1"
    html = client.get(url).content.decode()
    assert "Release the results" in html and scene.entries[0].title in html
    assert page(scene.board).get(f"/board/calls/{scene.call.slug}/").status_code == 403
    shortlist = {"round": 1, "top_n": 2, "confirmed": 1}
    client.post(f"/secretariat/calls/{scene.call.slug}/shortlist/", shortlist)
    assert scene.call.submissions.filter(status="shortlisted").count() >= 2
    client.post(f"/secretariat/calls/{scene.call.slug}/release/", {"round": 1, "confirmed": 1})
    scene.round.refresh_from_db()
    assert scene.round.results_released_at is not None
    assert page(scene.board).get(f"/board/calls/{scene.call.slug}/").status_code == 200


def test_the_results_page_shows_how_far_the_jurors_agree_lead_first(page, scene):
    scene.assign()
    scene.score_all()
    html = page(scene.staff).get(f"/secretariat/calls/{scene.call.slug}/results/?round=1")
    text = " ".join(html.content.decode().split())
    assert "How far the jurors agree" in text
    lead = text.index("Reliability of the jury's average (ICC2k)")
    assert lead < text.index("Same order of entries (Kendall's W)")
    # 6 entries read by 2 of 4 jurors each: no 3 jurors read the same 5 entries.
    assert f"not shown: only 2 jurors {TIMES}" in text
