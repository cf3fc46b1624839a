"""The secretariat's set-up in the pages: a call with its document kinds picked from a list, a
round, its rubric (weights, shares, levels, the lock) and the jury (seats, chair, expertise,
unseating), each through the services, with refusals shown next to what they are about."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jury.models import Assignment, JuryMember, Round
from scoring.models import Criterion, Score, ScoreSheet
from submissions.models import AuditEvent, Call
from tests.factories import (
    CallFactory,
    JurorFactory,
    JurorProfileFactory,
    SecretariatFactory,
)
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return SecretariatFactory()


def local(moment, call) -> str:
    return timezone.localtime(moment, call.tzinfo).strftime("%Y-%m-%dT%H:%M")


# --- calls ---------------------------------------------------------------------------------------

NEW_CALL = {
    "title": "Metropolis Award 2026",
    "slug": "award-2026",
    "kind": "award",
    "themes": "Governance\nEnvironment",
    "timezone": "Europe/Paris",
    "opens_at": "2026-01-10T09:00",
    "deadline": "2026-03-01T23:59",
    "max_submissions_per_organization": 2,
    "max_file_size": 20,
    "max_attachments": 6,
    "required_document_kinds": ["application_form", "presentation"],
    "allowed_content_types": ["application/pdf", "image/png"],
}


def test_the_call_form_lists_document_kinds_by_name_in_the_visitors_language(page, staff):
    english = page(staff).get("/secretariat/calls/new/").content.decode()
    assert 'value="application_form"' in english and "Application form" in english
    assert "One kind per line" not in english  # no code names to type any more
    browser = page(staff)
    browser.cookies["django_language"] = "fr"
    french = browser.get("/secretariat/calls/new/").content.decode()
    assert "Formulaire de candidature" in french and "Document PDF (.pdf)" in french


def test_a_call_is_created_with_the_document_kinds_and_files_ticked(page, staff):
    response = page(staff).post("/secretariat/calls/new/", NEW_CALL)
    assert response.status_code == 302, response.content.decode()[:3000]
    call = Call.objects.get(slug="award-2026")
    assert call.required_document_kinds == ["application_form", "presentation"]
    assert call.allowed_content_types == ["application/pdf", "image/png"]
    assert call.max_file_size == 20 * 1024 * 1024 and call.max_attachments == 6
    assert AuditEvent.objects.filter(action="call.created", call=call).exists()


def test_a_document_kind_not_in_the_list_is_refused_next_to_its_field(page, staff):
    response = page(staff).post(
        "/secretariat/calls/new/", {**NEW_CALL, "required_document_kinds": ["passport_scan"]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    block = html[html.index('id="field-required_document_kinds"') :]
    assert (
        "passport_scan is not one of the available choices" in block[: block.index("</fieldset>")]
    )
    assert not Call.objects.filter(slug="award-2026").exists()


def test_editing_a_call_keeps_a_kind_it_already_asks_for_even_off_the_list(page, staff):
    whole_minute = timezone.now().replace(second=0, microsecond=0)
    call = CallFactory(
        required_document_kinds=["application_form", "budget_sheet"],
        opens_at=whole_minute - timedelta(days=10),
        deadline=whole_minute + timedelta(days=10),
    )
    form = page(staff).get(f"/secretariat/calls/{call.slug}/edit/").context["form"]
    codes = [code for code, _label in form.fields["required_document_kinds"].choices]
    assert "budget_sheet" in codes and "presentation" in codes
    assert form.initial["max_file_size"] == 5  # the factory's 5 MB, in MB
    data = {k: v for k, v in form.initial.items() if v not in (None, "")}
    data.update(
        opens_at=local(call.opens_at, call),
        deadline=local(call.deadline, call),
        required_document_kinds=["budget_sheet"],
        max_attachments=3,
    )
    response = page(staff).post(f"/secretariat/calls/{call.slug}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    call.refresh_from_db()
    assert call.required_document_kinds == ["budget_sheet"] and call.max_attachments == 3
    assert call.max_file_size == 5 * 1024 * 1024
    event = AuditEvent.objects.get(action="call.updated", call=call)
    assert set(event.data["changes"]) == {"required_document_kinds", "max_attachments"}


# --- rounds --------------------------------------------------------------------------------------


def test_the_first_round_is_created_and_listed_on_the_calls_page(page, staff):
    call = CallFactory()
    new = page(staff).get(f"/secretariat/calls/{call.slug}/rounds/new/")
    assert "entries" not in new.context["form"].fields  # round 1 takes every eligible entry
    deadline = timezone.now() + timedelta(days=40)
    response = page(staff).post(
        f"/secretariat/calls/{call.slug}/rounds/new/",
        {"name": "First round", "jury_deadline": local(deadline, call)},
    )
    assert response.status_code == 302
    round_ = Round.objects.get(call=call)
    assert (round_.number, round_.name) == (1, "First round")
    assert AuditEvent.objects.filter(action="round.created", call=call).exists()
    html = page(staff).get(f"/secretariat/calls/{call.slug}/").content.decode()
    assert "First round" in html
    assert f"/secretariat/calls/{call.slug}/rounds/1/rubric/" in html
    assert "administration" not in html


def test_a_later_round_takes_chosen_entries_and_jurors_and_an_earlier_deadline_is_refused(
    page, staff
):
    judged = JudgedCall(entries=3, jurors=3)
    call, first = judged.call, judged.round
    url = f"/secretariat/calls/{call.slug}/rounds/new/"
    too_early = first.jury_deadline - timedelta(days=1)
    data = {
        "name": "Final round",
        "jury_deadline": local(too_early, call),
        "entries": [judged.entries[0].pk, judged.entries[2].pk],
        "jurors": [judged.jurors[1].pk],
    }
    refused = page(staff).post(url, data)
    assert refused.status_code == 400
    html = refused.content.decode()
    block = html[html.index('id="field-jury_deadline"') :]
    assert "After " in block[: block.index("</div>")]
    assert Round.objects.filter(call=call).count() == 1
    later = first.jury_deadline + timedelta(days=10)
    created = page(staff).post(url, {**data, "jury_deadline": local(later, call)})
    assert created.status_code == 302
    final = Round.objects.get(call=call, number=2)
    assert set(final.entries.values_list("pk", flat=True)) == {
        judged.entries[0].pk,
        judged.entries[2].pk,
    }
    assert list(final.jurors.all()) == [judged.jurors[1]]


def test_a_juror_off_the_jury_cannot_be_put_on_a_round(page, staff):
    judged = JudgedCall(entries=1, jurors=1)
    stranger = JurorFactory()
    response = page(staff).post(
        f"/secretariat/calls/{judged.call.slug}/rounds/1/",
        {
            "name": "Round one",
            "jury_deadline": local(judged.round.jury_deadline, judged.call),
            "jurors": [stranger.pk],
        },
    )
    assert response.status_code == 400
    assert "is not one of the available choices" in response.content.decode()
    assert not judged.round.jurors.exists()


def test_a_round_is_renamed_and_its_deadline_moved(page, staff):
    judged = JudgedCall(entries=1, jurors=1)
    call = judged.call
    later = judged.round.jury_deadline + timedelta(days=3)
    response = page(staff).post(
        f"/secretariat/calls/{call.slug}/rounds/1/",
        {"name": "Preselection", "jury_deadline": local(later, call)},
    )
    assert response.status_code == 302
    judged.round.refresh_from_db()
    assert judged.round.name == "Preselection"
    assert local(judged.round.jury_deadline, call) == local(later, call)
    assert page(staff).get(f"/secretariat/calls/{call.slug}/rounds/9/").status_code == 404


# --- the rubric ----------------------------------------------------------------------------------


def rubric_post(rows: list[dict], *, initial: int = 0, **extra) -> dict:
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": str(initial),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for n, row in enumerate(rows):
        values = {
            "label": "",
            "key": "",
            "description": "",
            "weight": "1",
            "min_value": "1",
            "max_value": "10",
            "step": "1",
            "levels": "",
            "ORDER": str(n + 1),
            **row,
        }
        for name, value in values.items():
            if value is not None:
                data[f"criteria-{n}-{name}"] = value
    return data


def empty_round():
    return JudgedCall(entries=1, jurors=1, rubric=None)


def test_a_rubric_of_three_weighted_criteria_is_built_with_levels(page, staff):
    judged = empty_round()
    url = f"/secretariat/calls/{judged.call.slug}/rounds/1/rubric/"
    rows = [
        {"label": "Impact", "weight": "2", "levels": "1-4 | Weak | Little evidence\n5-10 | Strong"},
        {"label": "Innovation", "weight": "1", "comment_required": "on"},
        {"label": "Transferability", "key": "transfer", "weight": "1", "step": "0.5"},
    ]
    response = page(staff).post(url, rubric_post(rows))
    assert response.status_code == 302, response.content.decode()[:3000]
    criteria = list(Criterion.objects.filter(round=judged.round).order_by("order"))
    assert [c.key for c in criteria] == ["impact", "innovation", "transfer"]
    assert [c.weight for c in criteria] == [2, 1, 1]
    assert criteria[0].levels == [
        {"min": 1, "max": 4, "label": "Weak", "description": "Little evidence"},
        {"min": 5, "max": 10, "label": "Strong", "description": ""},
    ]
    assert criteria[1].comment_required and criteria[2].step == Decimal("0.5")
    assert AuditEvent.objects.filter(action="rubric.replaced", call=judged.call).exists()
    html = page(staff).get(url).content.decode()
    assert "The weights add up to 4" in html
    assert "50.0 %" in html and "25.0 %" in html  # each weight's share of the total


def test_criteria_are_reordered_and_removed_and_a_row_is_added_without_saving(page, staff):
    judged = JudgedCall(entries=1, jurors=1)  # impact, innovation, transfer
    url = f"/secretariat/calls/{judged.call.slug}/rounds/1/rubric/"
    form = page(staff).get(url).context["formset"]
    assert len(form.forms) == 4  # the three criteria and one empty row
    rows = [
        {"key": "impact", "label": "Impact", "ORDER": "3"},
        {"key": "innovation", "label": "Innovation", "ORDER": "1", "DELETE": "on"},
        {"key": "transfer", "label": "Transferability", "ORDER": "1"},
    ]
    added = page(staff).post(url, rubric_post(rows, initial=3, add="1"))
    assert added.status_code == 200 and len(added.context["formset"].forms) == 4
    assert Criterion.objects.filter(round=judged.round).count() == 3  # nothing saved yet
    saved = page(staff).post(url, rubric_post(rows, initial=3))
    assert saved.status_code == 302, saved.content.decode()[:3000]
    keys = list(
        Criterion.objects.filter(round=judged.round).order_by("order").values_list("key", flat=True)
    )
    assert keys == ["transfer", "impact"]


def test_a_weight_of_zero_and_an_empty_rubric_are_refused_in_plain_words(page, staff):
    judged = empty_round()
    url = f"/secretariat/calls/{judged.call.slug}/rounds/1/rubric/"
    zero = page(staff).post(url, rubric_post([{"label": "Impact", "weight": "0"}]))
    assert zero.status_code == 400
    assert "The weight must be above 0." in zero.content.decode()
    none = page(staff).post(url, rubric_post([{"label": "Impact", "DELETE": "on"}]))
    assert none.status_code == 400
    assert "A rubric needs at least one criterion." in none.content.decode()
    wrong_level = page(staff).post(url, rubric_post([{"label": "Impact", "levels": "weak"}]))
    assert wrong_level.status_code == 400
    assert "Line 1: write a level as" in wrong_level.content.decode()
    assert not Criterion.objects.filter(round=judged.round).exists()


def test_a_locked_rubric_says_why_and_offers_no_edit(page, staff):
    judged = JudgedCall(entries=1, jurors=1)
    judged.round.rubric_locked_at = timezone.now()
    judged.round.save()
    url = f"/secretariat/calls/{judged.call.slug}/rounds/1/rubric/"
    shown = page(staff).get(url)
    html = shown.content.decode()
    assert shown.context["locked"] and shown.context.get("formset") is None
    assert "can no longer change: the first score sheet was submitted on" in html
    assert "Save the rubric" not in html
    refused = page(staff).post(url, rubric_post([{"label": "Other"}]))
    assert refused.status_code == 409
    assert Criterion.objects.filter(round=judged.round).count() == 3


# --- the jury ------------------------------------------------------------------------------------


def test_jurors_are_found_by_name_and_seated(page, staff):
    call = CallFactory()
    wanted = JurorProfileFactory(user__first_name="Amina", user__last_name="Diallo").user
    JurorProfileFactory(user__first_name="Bruno", user__last_name="Costa")
    found = page(staff).get(f"/secretariat/calls/{call.slug}/jury/?q=diallo")
    assert [u.pk for u in found.context["candidates"]] == [wanted.pk]
    seated = page(staff).post(f"/secretariat/calls/{call.slug}/jury/", {"juror": wanted.pk})
    assert seated.status_code == 302
    assert JuryMember.objects.filter(call=call, juror=wanted).exists()
    assert AuditEvent.objects.filter(action="jury.seated", call=call).exists()
    again = page(staff).get(f"/secretariat/calls/{call.slug}/jury/?q=diallo")
    assert again.context["candidates"] == []  # a seated juror is no longer offered


def test_an_account_that_is_not_a_juror_cannot_be_seated(page, staff):
    call = CallFactory()
    response = page(staff).post(f"/secretariat/calls/{call.slug}/jury/", {"juror": staff.pk})
    assert response.status_code == 400
    assert "Choose a juror account from the list." in response.content.decode()
    assert not JuryMember.objects.filter(call=call).exists()


def test_the_chair_is_set_and_there_is_only_one(page, staff):
    judged = JudgedCall(entries=0, jurors=3)
    call, new_chair = judged.call, judged.jurors[2]
    response = page(staff).post(
        f"/secretariat/calls/{call.slug}/jury/chair/", {"juror": new_chair.pk}
    )
    assert response.status_code == 302
    chairs = list(
        JuryMember.objects.filter(call=call, is_chair=True).values_list("juror", flat=True)
    )
    assert chairs == [new_chair.pk]
    page(staff).post(f"/secretariat/calls/{call.slug}/jury/chair/", {"juror": ""})
    assert not JuryMember.objects.filter(call=call, is_chair=True).exists()


def test_a_jurors_expertise_and_profile_are_changed_and_the_chair_stays(page, staff):
    judged = JudgedCall(entries=0, jurors=1)
    call, chair = judged.call, judged.chair
    url = f"/secretariat/calls/{call.slug}/jury/{chair.pk}/"
    response = page(staff).post(
        url, {"expertise": ["Governance"], "affiliation": "UCL", "city": "London", "country": "UK"}
    )
    assert response.status_code == 302
    seat = JuryMember.objects.get(call=call, juror=chair)
    assert seat.expertise == ["Governance"] and seat.is_chair
    chair.juror_profile.refresh_from_db()
    assert (chair.juror_profile.city, chair.juror_profile.country) == ("London", "UK")
    unknown = page(staff).post(url, {"expertise": ["Astrology"]})
    assert unknown.status_code == 400
    assert "Astrology is not one of the available choices" in unknown.content.decode()


def test_a_juror_without_scores_is_unseated_with_their_assignments(page, staff):
    judged = JudgedCall(entries=2, jurors=2)
    juror = judged.jurors[1]
    judged.round.jurors.add(juror)
    Assignment.objects.create(round=judged.round, submission=judged.entries[0], juror=juror)
    url = f"/secretariat/calls/{judged.call.slug}/jury/{juror.pk}/unseat/"
    asked = page(staff).get(url)  # a confirmation first, saying what goes with the seat
    assert "Their 1 assignment in this call goes with the seat" in asked.content.decode()
    assert JuryMember.objects.filter(call=judged.call, juror=juror).exists()
    response = page(staff).post(url)
    assert response.status_code == 302
    assert not JuryMember.objects.filter(call=judged.call, juror=juror).exists()
    assert not Assignment.objects.filter(juror=juror).exists()
    assert not judged.round.jurors.filter(pk=juror.pk).exists()
    assert AuditEvent.objects.get(action="jury.unseated").data["assignments_removed"] == 1


def test_a_juror_who_scored_stays_on_the_jury(page, staff):
    judged = JudgedCall(entries=1, jurors=2)
    juror = judged.jurors[1]
    assignment = Assignment.objects.create(
        round=judged.round, submission=judged.entries[0], juror=juror
    )
    sheet = ScoreSheet.objects.create(assignment=assignment)
    Score.objects.create(sheet=sheet, criterion=judged.criteria[0], value=6)  # a draft with work
    response = page(staff).post(f"/secretariat/calls/{judged.call.slug}/jury/{juror.pk}/unseat/")
    assert response.status_code == 409
    assert "has already scored on this call (sheets with work: 1)" in response.content.decode()
    assert JuryMember.objects.filter(call=judged.call, juror=juror).exists()
    assert Score.objects.filter(sheet=sheet).exists()


def test_the_jury_page_reads_in_a_constant_number_of_queries(page, staff):
    small = JudgedCall(entries=0, jurors=2)
    large = JudgedCall(entries=0, jurors=12)
    for _ in range(10):
        JurorProfileFactory()
    counts = []
    for judged in (small, large):
        browser = page(staff)
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(f"/secretariat/calls/{judged.call.slug}/jury/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_chair_and_jurors_cannot_open_the_set_up_pages(page):
    judged = JudgedCall(entries=0, jurors=2)
    slug = judged.call.slug
    for user in (judged.chair, judged.jurors[1]):
        for url in (
            f"/secretariat/calls/{slug}/jury/",
            f"/secretariat/calls/{slug}/rounds/new/",
            f"/secretariat/calls/{slug}/rounds/1/rubric/",
        ):
            assert page(user).get(url).status_code == 403


def test_a_refused_rubric_is_worded_in_the_visitors_language(page, staff):
    judged = empty_round()
    browser = page(staff)
    browser.cookies["django_language"] = "es"
    url = f"/secretariat/calls/{judged.call.slug}/rounds/1/rubric/"
    response = browser.post(url, rubric_post([{"label": "Impacto", "weight": "0"}]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Guardar la rúbrica" in html and "El peso debe ser mayor que 0." in html


def test_the_rubric_page_reads_in_a_constant_number_of_queries(page, staff):
    counts = []
    for size in (1, 8):
        judged = JudgedCall(entries=0, jurors=1, rubric=[{"key": f"c{n}"} for n in range(size)])
        browser = page(staff)
        url = f"/secretariat/calls/{judged.call.slug}/rounds/1/rubric/"
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_rubric_form_shows_numbers_as_people_write_them(page, staff):
    judged = JudgedCall(entries=0, jurors=1, rubric=[{"key": "impact", "step": Decimal("0.5")}])
    url = f"/secretariat/calls/{judged.call.slug}/rounds/1/rubric/"
    html = page(staff).get(url).content.decode()
    assert 'name="criteria-0-max_value" value="10"' in html
    assert 'name="criteria-0-step" value="0.5"' in html
    assert "E+" not in html
