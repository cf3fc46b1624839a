"""In a real browser, without the admin: the secretariat creates a call with its document kinds
ticked from a list, opens its first round, builds a rubric of three weighted criteria (adding
rows without JavaScript), seats a jury found by name and sets its chair; a juror of that jury
then reads the round's rubric through the API, and the lock is shown once a sheet is in."""

import re

import pytest
from django.utils import timezone

from jury.models import JuryMember, Round
from scoring.models import Criterion
from submissions.models import Call
from tests.factories import PASSWORD, JurorProfileFactory, SecretariatFactory
from tests.support.clients import client_for

pytestmark = pytest.mark.browser

JURORS = (("amina", "Amina", "Diallo"), ("bruno", "Bruno", "Costa"), ("chen", "Chen", "Wei"))
CRITERIA = (("Impact on residents", "2"), ("Innovation", "1"), ("Transferability", "1"))


def _expect():
    from playwright.sync_api import expect

    return expect


def test_the_secretariat_sets_up_a_call_its_round_rubric_and_jury_in_the_pages(browser):
    expect = _expect()
    SecretariatFactory(username="secretariat")
    jurors = {
        username: JurorProfileFactory(
            user__username=username, user__first_name=first, user__last_name=last
        ).user
        for username, first, last in JURORS
    }
    page = browser.signed_in("secretariat", PASSWORD)

    # The call, its document kinds ticked by name.
    page.get_by_role("link", name="New call").click()
    page.get_by_label("Title").fill("Metropolis Award 2028")
    page.get_by_label("Short name in addresses").fill("award-2028")
    page.get_by_label("Themes").fill("Governance\nEnvironment")
    page.get_by_label("Opens at").fill("2027-01-10T09:00")
    page.get_by_label("Deadline").fill("2027-05-30T23:59")
    page.get_by_label("Application form", exact=True).check()
    page.get_by_label("Presentation", exact=True).check()
    page.get_by_label("PDF document (.pdf)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Metropolis Award 2028")).to_be_visible()
    call = Call.objects.get(slug="award-2028")
    assert call.required_document_kinds == ["application_form", "presentation"]
    assert call.allowed_content_types == ["application/pdf"]

    # Its first round, listed on the call's page.
    page.get_by_role("link", name="New round").click()
    page.get_by_label("Name of the round").fill("First round")
    page.get_by_label("Jury deadline").fill("2027-07-15T18:00")
    page.get_by_role("button", name="Create the round").click()
    expect(page.get_by_role("heading", name="First round")).to_be_visible()

    # The rubric: three weighted criteria, rows added without JavaScript.
    page.get_by_role("link", name=re.compile(r"Rubric \(0 criteria\)")).click()
    expect(page.get_by_text("This round has no criterion yet")).to_be_visible()
    for row, (label, weight) in enumerate(CRITERIA):
        if row:
            page.get_by_role("button", name="Add a criterion").click()
        page.locator(f'[name="criteria-{row}-label"]').fill(label)
        page.locator(f'[name="criteria-{row}-weight"]').fill(weight)
    page.locator('[name="criteria-0-levels"]').fill("1-4 | Weak | Few results\n5-10 | Strong")
    page.get_by_role("button", name="Save the rubric").click()
    expect(page.get_by_role("status")).to_contain_text("The rubric of First round was saved.")
    weights = page.get_by_role("table")
    expect(weights).to_contain_text("The weights add up to 4")
    expect(weights.get_by_role("row", name=re.compile("Impact on residents"))).to_contain_text(
        "50.0 %"
    )
    expect(weights.get_by_role("row", name=re.compile("Innovation"))).to_contain_text("25.0 %")

    # The jury: found by name, seated, a chair set.
    page.get_by_role("link", name="Metropolis Award 2028").click()
    page.get_by_role("link", name="The jury").click()
    page.get_by_label("Find a juror by name").fill("diallo")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Seat amina").click()
    expect(page.get_by_role("status")).to_contain_text("Amina Diallo (amina) is on the jury.")
    for username in ("bruno", "chen"):
        page.get_by_role("button", name=f"Seat {username}").click()
    expect(page.get_by_role("heading", name="3 jurors on the jury")).to_be_visible()
    page.get_by_label("Chair of the jury").select_option(label="Amina Diallo (amina)")
    page.get_by_role("button", name="Set the chair").click()
    expect(page.get_by_role("row", name=re.compile("Amina Diallo"))).to_contain_text("Chair")

    seats = JuryMember.objects.filter(call=call)
    assert {seat.juror.username for seat in seats} == {"amina", "bruno", "chen"}
    assert [seat.juror.username for seat in seats if seat.is_chair] == ["amina"]

    # A juror of the jury reads the round's rubric through the API: no admin was needed.
    answer = client_for(jurors["chen"]).get(f"/api/v1/calls/{call.slug}/rubric/?round=1")
    assert answer.status_code == 200, answer.content
    rubric = answer.json()
    assert rubric["name"] == "First round" and not rubric["locked"]
    assert [(c["label"], float(c["weight"])) for c in rubric["criteria"]] == [
        (label, float(weight)) for label, weight in CRITERIA
    ]

    # Once scoring started the rubric is locked: the page says why and offers no edit.
    Round.objects.filter(call=call).update(rubric_locked_at=timezone.now())
    page.goto(f"/secretariat/calls/{call.slug}/rounds/1/rubric/")
    expect(
        page.get_by_text("can no longer change: the first score sheet was submitted")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Save the rubric")).to_have_count(0)
    assert Criterion.objects.filter(round__call=call).count() == 3
