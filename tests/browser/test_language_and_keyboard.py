"""The language switch in a real browser, and a keyboard-only pass through the score form."""

import re

import pytest

from jury.models import Assignment
from scoring.models import ScoreSheet
from tests.factories import PASSWORD, CityContactFactory, OrganizationFactory
from tests.worlds import JudgedCall

pytestmark = pytest.mark.browser


def _expect():
    from playwright.sync_api import expect

    return expect


def test_the_language_switch_translates_the_pages_and_their_scripts(browser, transactional_db):
    expect = _expect()
    JudgedCall(entries=1, jurors=1)  # an open call for the city to see
    CityContactFactory(username="dakar", organization=OrganizationFactory(name="Dakar"))
    page = browser.signed_in("dakar", PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vos candidatures et les appels ouverts"
    )
    expect(page.locator("[data-countdown]").first).to_contain_text("Reste")
    expect(page.locator("time[data-local]").first).to_contain_text("Votre heure")
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-pressed", "true")

    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sus candidaturas y las convocatorias abiertas"
    )
    expect(page.locator("[data-countdown]").first).to_contain_text("Quedan")
    page.get_by_role("link", name="Empezar una candidatura").first.click()
    expect(page.get_by_label("Título del proyecto")).to_be_visible()
    page.get_by_role("button", name="Guardar el borrador").click()
    expect(page.get_by_role("alert")).to_contain_text("Algunos campos requieren atención")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {id: el.id, tag: el.tagName, text: (el.innerText || '').trim(),
                    href: el.getAttribute('href'), outline: style.outlineStyle,
                    width: parseFloat(style.outlineWidth)};
        }"""
    )


def _tab_to(page, wanted, limit=80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = _focused(page)
        if wanted(now):
            return now
    raise AssertionError("the keyboard never reached the element")


def test_a_juror_scores_and_submits_with_the_keyboard_alone(browser, transactional_db):
    scene = JudgedCall(entries=2, jurors=2)
    scene.assign(per_entry=1, max_per_juror=1)
    juror = scene.jurors[1]
    assignment = Assignment.objects.get(juror=juror)

    page = browser.new_page()
    page.goto("/accounts/login/")
    assert _focused(page)["id"] == "id_username"  # the sign-in form takes focus
    page.keyboard.type(juror.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/juror/$"))

    skip = _tab_to(page, lambda f: f["href"] == "#main")
    assert skip["outline"] != "none" and skip["width"] >= 2  # focus is visible
    page.keyboard.press("Enter")
    _tab_to(page, lambda f: (f["href"] or "").endswith(f"/juror/assignments/{assignment.pk}/"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/juror/assignments/{assignment.pk}/$"))

    marks = {"impact": "8", "innovation": "7", "transfer": "9"}
    first = _tab_to(page, lambda f: f["id"] == "id_value_impact")
    assert first["outline"] != "none"
    for key, mark in marks.items():
        assert _focused(page)["id"] == f"id_value_{key}"
        page.keyboard.type(mark)
        page.keyboard.press("Tab")
        assert _focused(page)["id"] == f"id_comment_{key}"
        page.keyboard.type(f"Scored {mark} from the evidence.")
        page.keyboard.press("Tab")
    assert _focused(page)["id"] == "id_comment"
    # The draft is autosaved through the API, with the sheet's ETag, while the juror types.
    with page.expect_response(
        lambda r: r.request.method == "PUT" and "Read twice" in (r.request.post_data or "")
    ) as saved:
        page.keyboard.type("Read twice, with the annexes.")
    assert saved.value.ok and saved.value.request.headers["if-match"].startswith('"sheet-')
    _expect()(page.locator("[data-autosave-status]")).to_contain_text("All changes saved")
    draft = ScoreSheet.objects.get(assignment=assignment)
    assert draft.status == "draft" and draft.version > 1 and draft.scores.count() == 3
    confirm = _tab_to(page, lambda f: f["id"] == "id_confirm_lock", limit=5)
    assert confirm["outline"] != "none"
    page.keyboard.press("Space")
    submit = _tab_to(page, lambda f: f["text"] == "Submit my scores", limit=2)
    assert submit["outline"] != "none"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.status == "submitted"
    assert {s.criterion.key: int(s.value) for s in sheet.scores.all()} == {
        k: int(v) for k, v in marks.items()
    }
    assert sheet.comment == "Read twice, with the annexes."
