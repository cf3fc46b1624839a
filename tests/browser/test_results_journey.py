"""The secretariat settles the cut in Chromium: filters the results, sees the uncertain entries
first with their odds, previews and applies extra reviews, confirms a shortlist; then reads the
results page in French."""

import re

import pytest

from jury.models import Assignment
from submissions.models import Organization
from tests.factories import PASSWORD
from tests.worlds import JudgedCall

pytestmark = pytest.mark.browser


@pytest.fixture
def playwright_expect():
    from playwright.sync_api import expect

    return expect


def test_the_secretariat_settles_the_cut_then_shortlists(
    browser, transactional_db, playwright_expect
):
    expect = playwright_expect
    cut = JudgedCall.at_the_cut(title="Metropolis Award 2032")
    Organization.objects.filter(pk=cut.entries[2].organization_id).update(region="africa")
    page = browser.signed_in(cut.staff.username, PASSWORD)
    page.goto(f"/secretariat/calls/{cut.call.slug}/results/?round=1")

    # The cut of the top 3, then only the entries uncertain at it.
    page.get_by_label("The cut: top").fill("3")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(
        page.get_by_role("heading", name=re.compile("chance of being in the top 3"))
    ).to_be_visible()
    at_cut = page.locator("#at-the-cut tbody tr")
    assert at_cut.count() >= 2
    odds = [
        int(text.strip().rstrip("%"))
        for text in at_cut.locator("td:nth-child(3)").all_inner_texts()
    ]
    assert all(5 < value < 95 for value in odds)
    assert [abs(v - 50) for v in odds] == sorted(abs(v - 50) for v in odds)
    page.get_by_label("Only entries uncertain at the cut").check()
    page.get_by_role("button", name="Filter", exact=True).click()
    ranking = page.locator("table", has=page.locator("caption", has_text="Ranking"))
    expect(ranking.locator("tbody tr")).to_have_count(at_cut.count())
    expect(ranking).not_to_contain_text(cut.entries[0].title)
    page.get_by_label("Only entries uncertain at the cut").uncheck()
    page.get_by_label("Region").select_option("africa")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(ranking.locator("tbody tr")).to_have_count(1)
    expect(ranking).to_contain_text(cut.entries[2].title)

    # Two more reviews: previewed, then applied after ticking the confirmation.
    before = Assignment.objects.count()
    page.get_by_role("link", name="Settle the cut with more reviews").click()
    page.get_by_label("How many more reviews").fill("2")
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_role("button", name="Apply: assign 2 extra reviews")).to_be_visible()
    assert Assignment.objects.count() == before
    page.get_by_label(re.compile("I checked the plan")).check()
    page.get_by_role("button", name="Apply: assign 2 extra reviews").click()
    expect(page.get_by_text("2 extra reviews are assigned.")).to_be_visible()
    assert Assignment.objects.count() == before + 2

    # The shortlist of the top 3, confirmed on its own page.
    page.get_by_label("How many entries").fill("3")
    page.get_by_role("button", name="Shortlist", exact=True).click()
    expect(page.get_by_role("heading", name="Shortlist these entries?")).to_be_visible()
    assert not cut.call.submissions.filter(status="shortlisted").exists()
    page.get_by_role("button", name="Yes, shortlist them").click()
    expect(page.get_by_text(re.compile(r"\d+ entries are shortlisted"))).to_be_visible()
    assert cut.call.submissions.filter(status="shortlisted").count() >= 3

    # The same page in French.
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(
        page.get_by_role("heading", name="Résultats, présélection et transmission")
    ).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("parmi les 3 premières"))).to_be_visible()
    expect(page.get_by_role("link", name="Trancher au seuil avec plus de lectures")).to_be_visible()
