"""In a real browser: the secretariat imports the 136 member cities from a CSV file (preview,
then apply, then the same file again changes nothing), and a visitor, signed in as nobody,
reads a call's winners in English and in French."""

import csv
import re

import pytest

from submissions.demo.cities import MEMBERS
from submissions.models import Organization
from tests.factories import PASSWORD, SecretariatFactory
from tests.worlds import JudgedCall

pytestmark = pytest.mark.browser


def _expect():
    from playwright.sync_api import expect

    return expect


def members_csv(tmp_path):
    path = tmp_path / "metropolis-members.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "city", "country", "region", "dues_paid_through"])
        for name, city, country, region in MEMBERS:
            writer.writerow([name, city, country, region, 2014])
    return path


def test_the_secretariat_imports_the_136_member_cities(browser, transactional_db, tmp_path):
    expect = _expect()
    SecretariatFactory(username="secretariat")
    path = members_csv(tmp_path)
    page = browser.signed_in("secretariat", PASSWORD)
    page.get_by_role("link", name="Import members, contacts and jurors").click()
    page.get_by_label("Members (organisations)").check()
    page.get_by_label("CSV or XLSX file").set_input_files(str(path))
    page.get_by_role("button", name="Preview the import").click()

    expect(page.get_by_role("heading", name=re.compile("Preview: Members"))).to_be_focused()
    expect(page.locator("tr.import-new")).to_have_count(136)
    expect(page.get_by_role("row", name=re.compile(r"Medellín\s+New"))).to_be_visible()
    assert Organization.objects.count() == 0  # nothing saved by a preview

    page.get_by_role("button", name="Apply: save 136 rows").click()
    expect(page.get_by_role("status")).to_contain_text("136 new, 0 updated, 0 unchanged")
    assert Organization.objects.count() == 136
    assert Organization.objects.get(name="São Paulo").region == "latin_america"

    page.get_by_label("Members (organisations)").check()
    page.get_by_label("CSV or XLSX file").set_input_files(str(path))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("tr.import-unchanged")).to_have_count(136)
    expect(
        page.get_by_text("Nothing to save: every row is either unchanged or refused.")
    ).to_be_visible()


def test_a_refused_file_is_explained_and_nothing_is_saved(browser, transactional_db, tmp_path):
    expect = _expect()
    SecretariatFactory(username="secretariat")
    path = tmp_path / "members.csv"
    path.write_bytes("name;city\nMálaga;Málaga\n".encode("cp1252"))
    page = browser.signed_in("secretariat", PASSWORD)
    page.goto("/secretariat/imports/")
    page.get_by_role("button", name="Français").click()
    page.get_by_label("Membres (organisations)").check()
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(str(path))
    page.get_by_role("button", name="Voir l'aperçu de l'importation").click()
    expect(page.get_by_role("alert")).to_contain_text("Le fichier n'est pas en UTF-8")
    assert Organization.objects.count() == 0


def test_a_visitor_reads_the_winners_in_english_and_in_french(browser, transactional_db):
    expect = _expect()
    scene = JudgedCall(title="Metropolis Award 2027")
    entries = scene.decide()
    page = browser.new_page(width=390, height=844)
    page.goto("/")
    page.get_by_role("link", name="Winners").click()
    page.get_by_role("link", name=re.compile("Metropolis Award 2027")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Metropolis Award 2027")
    winners = page.get_by_role("region", name="Winners")
    expect(winners.get_by_role("heading", name="Project A")).to_be_visible()
    expect(winners).to_contain_text(entries[0].organization.name)
    expect(winners).to_contain_text("Summary of project A.")
    mentions = page.get_by_role("region", name="Special mentions")
    expect(mentions.get_by_role("heading", name="Project B")).to_be_visible()
    expect(page.get_by_text("Project C")).to_have_count(0)

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("region", name="Lauréats")).to_contain_text("Project A")
    expect(page.get_by_role("region", name="Mentions spéciales")).to_contain_text("Project B")
    expect(
        page.get_by_text(re.compile("Le Bureau exécutif a annoncé ses décisions le"))
    ).to_be_visible()
    no_overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_overflow  # read on a phone without sideways scrolling
