"""The whole cycle in a real browser: a city submits with an upload, the secretariat reviews
and assigns, jurors score, results are shortlisted and released, the Board decides, and the
city sees its decision after the announcement."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from scoring.models import Decision, ScoreSheet
from submissions.models import Submission
from tests.factories import (
    PASSWORD,
    CityContactFactory,
    OrganizationFactory,
    pdf_bytes,
)
from tests.worlds import JudgedCall

pytestmark = pytest.mark.browser
TITLE = "Green corridors along the Tagus"


def _expect():
    from playwright.sync_api import expect

    return expect


@pytest.fixture
def cycle(transactional_db, tmp_path):
    """An open call with round 1 and the pages' rubric, three entries of other cities, three
    jurors from Geneva (expert0 chairs), and Lisboa's contact, who will submit through the page."""
    world = JudgedCall(
        entries=0,
        jurors=0,
        slug="initiatives-2030",
        title="Metropolis Initiatives 2030",
        required_document_kinds=["application_form"],
        deadline=timezone.now() + timedelta(days=10),
        max_submissions_per_organization=2,
    )
    for n in range(3):
        world.add_entry(organization=OrganizationFactory(name=f"Metropolis {n}"), title=f"Plan {n}")
        world.seat_juror(chair=n == 0, user__username=f"expert{n}", city="Geneva")
    city = CityContactFactory(
        username="lisboa", organization=OrganizationFactory(name="Lisboa", city="Lisboa")
    )
    pdf = tmp_path / "application-form.pdf"
    pdf.write_bytes(pdf_bytes("Lisboa application form"))
    return {
        "call": world.call,
        "round": world.round,
        "others": world.entries,
        "jurors": world.jurors,
        "city": city,
        "staff": world.staff,
        "board": world.board,
        "pdf": pdf,
    }


def test_the_whole_cycle_from_submission_to_the_citys_decision(browser, cycle):
    expect = _expect()
    call = cycle["call"]

    # 1. The city starts a draft, autosaves it, uploads its form and submits.
    city = browser.signed_in("lisboa", PASSWORD)
    expect(city.get_by_role("heading", name=call.title)).to_be_visible()
    expect(city.locator("[data-countdown]").first).to_contain_text("left")
    expect(city.locator("time[data-local]").first).to_contain_text("Your time:")
    city.get_by_role("link", name=re.compile("Start an entry")).click()
    city.get_by_label("Title of the project").fill(TITLE)
    city.get_by_label("Theme").select_option("Sustainability")
    city.get_by_role("button", name="Save the draft").click()
    city.wait_for_url(re.compile(r"/city/entries/\d+/$"))
    entry = Submission.objects.get(title=TITLE)

    city.get_by_label("Summary").fill("A continuous green corridor along the river.")
    with city.expect_response(
        lambda r: r.request.method == "PATCH" and "Twelve" in (r.request.post_data or "")
    ) as saved:
        city.get_by_label("Description").fill("Twelve kilometres of paths, trees and flood parks.")
    assert saved.value.ok
    expect(city.locator("[data-autosave-status]")).to_contain_text("All changes saved")
    entry.refresh_from_db()
    assert entry.description.startswith("Twelve kilometres")

    city.get_by_label("Kind of document").select_option("application_form")
    city.get_by_label("File", exact=True).set_input_files(str(cycle["pdf"]))
    city.get_by_role("button", name="Upload").click()
    expect(city.locator("#files")).to_contain_text("application-form.pdf was uploaded.")
    expect(city.locator("#files .files")).to_contain_text("application-form.pdf")

    city.get_by_role("link", name="Review and submit").click()
    expect(city.get_by_role("heading", name="Review and submit")).to_be_visible()
    city.locator("#id_confirm").check()
    city.get_by_role("button", name="Submit the entry").click()
    city.wait_for_url(re.compile(r"/receipt/$"))
    entry.refresh_from_db()
    assert entry.status == "submitted"
    expect(city.locator("#receipt-hash")).to_have_text(entry.receipt_sha256)

    # 2. The secretariat finds it eligible and applies the assignment after a preview.
    staff = browser.signed_in(cycle["staff"].username, PASSWORD)
    staff.goto(f"/secretariat/calls/{call.slug}/eligibility/")
    staff.get_by_role("button", name=f"Eligible — {TITLE}", exact=True).click()
    expect(staff.get_by_role("status")).to_contain_text("is marked eligible")
    staff.goto(f"/secretariat/calls/{call.slug}/assignment/")
    staff.get_by_label("Jurors per entry").fill("2")
    staff.get_by_label("Most entries per juror").fill("10")
    staff.get_by_role("button", name="Preview the plan").click()
    expect(staff.get_by_role("heading", name="Preview")).to_be_visible()
    assert not entry.assignments.exists()
    staff.get_by_role("button", name="Apply this plan").click()
    staff.wait_for_url(re.compile(r"/progress/\?round=1$"))
    assert entry.assignments.count() == 2

    # 3. Each juror scores every entry assigned to them: the city's entry stands out.
    for juror in cycle["jurors"]:
        page = browser.signed_in(juror.username, PASSWORD)
        links = page.locator('a[href^="/juror/assignments/"]')
        # each entry once (the page's "Score the next entry" button links to one of them too)
        hrefs = list(
            dict.fromkeys(links.nth(i).get_attribute("href") for i in range(links.count()))
        )
        for href in hrefs:
            page.goto(href)
            mark = "9" if page.get_by_role("heading", level=1).inner_text() == TITLE else "5"
            for key in ("impact", "innovation", "transfer"):
                page.locator(f"#id_value_{key}").fill(mark)
                page.locator(f"#id_comment_{key}").fill(f"{juror.username}: {key} is {mark}.")
            page.get_by_label("Overall comment").fill("Read with care.")
            page.get_by_label("I understand that submitting locks the sheet").check()
            with page.expect_navigation():
                page.get_by_role("button", name="Submit my scores").click()
        page.goto("/juror/")  # the round is finished for this juror: folded, opened here
        page.locator(".finished-rounds > summary").click()
        expect(page.get_by_text(f"{len(hrefs)} of {len(hrefs)} done")).to_be_visible()
    assert ScoreSheet.objects.filter(status="submitted").count() == 2 * 4

    # 4. The secretariat shortlists the best two and releases the results to the Board.
    staff.goto(f"/secretariat/calls/{call.slug}/results/?round=1")
    staff.get_by_label("How many entries").fill("2")
    staff.get_by_role("button", name="Shortlist", exact=True).click()
    staff.get_by_role("button", name="Yes, shortlist them").click()  # the confirmation step
    expect(staff.get_by_role("status")).to_contain_text("shortlisted")
    staff.get_by_role("button", name="Release the results").click()
    staff.get_by_role("button", name="Yes, release the results").click()
    expect(staff.get_by_role("status")).to_contain_text("released to the Board")

    # 5. The Board reads the shortlist and its charts, then decides with a rationale.
    board = browser.signed_in(cycle["board"].username, PASSWORD)
    board.get_by_role("link", name=call.title, exact=True).click()
    expect(board.locator(".chart .main-svg").first).to_be_visible()
    board.get_by_role("link", name=TITLE).click()
    expect(board.get_by_text(re.compile(r"expert\d: impact is 9\."))).to_have_count(2)
    board.get_by_label("Decision", exact=True).select_option("awarded")
    board.get_by_label("Rationale").fill("A model of river restoration for the region.")
    board.get_by_role("button", name="Record the decision").click()
    expect(board.get_by_role("status")).to_contain_text("is recorded")
    assert Decision.objects.get(submission=entry).outcome == "awarded"

    # 6. The secretariat announces; the city sees its decision.
    city.goto(f"/city/entries/{entry.pk}/")
    expect(city.get_by_text("Decision of the Board")).to_have_count(0)
    staff.goto(f"/secretariat/calls/{call.slug}/edit/")
    announced = timezone.localtime(timezone.now() - timedelta(minutes=5), call.tzinfo)
    staff.get_by_label("Announcement of the decisions").fill(announced.strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_role("button", name="Save").click()
    expect(staff.get_by_role("status")).to_contain_text("The call was saved.")
    city.goto("/city/")
    expect(city.locator(".badge.awarded")).to_have_text("Awarded")
    city.goto(f"/city/entries/{entry.pk}/")
    expect(city.get_by_role("heading", name="Decision of the Board")).to_be_visible()
