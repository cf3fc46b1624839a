"""The juror's queue in Chromium (issue 14, item 1): three entries scored with "Save and next"
on a 390 px phone in Spanish, and an entry's PDF drawn by pdf.js beside the rubric under our
Content-Security-Policy."""

import re
from datetime import timedelta

import pytest

from jury.models import Assignment
from scoring.models import ScoreSheet
from tests.factories import PASSWORD, AttachmentFactory
from tests.worlds import JudgedCall

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _expect():
    from playwright.sync_api import expect

    return expect


def _watch(page) -> list[str]:
    """Console errors and script failures, CSP refusals included (not the page's own 400 for
    a refused submit, which the test provokes)."""
    problems = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "status of 400" not in message.text
            and problems.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_a_juror_scores_three_entries_with_save_and_next_on_a_phone_in_spanish(
    browser, transactional_db
):
    expect = _expect()
    world = JudgedCall(entries=3, jurors=2)
    world.assign_everyone()
    juror = world.jurors[1]
    mine = list(Assignment.objects.filter(juror=juror).order_by("id"))
    # an earlier round this juror judged, whose jury deadline passed: folded below the work
    past = JudgedCall(entries=4, jurors=0, jury_deadline_in=-timedelta(days=1))
    for entry in past.entries:
        Assignment.objects.create(round=past.round, submission=entry, juror=juror)
    page = browser.signed_in(juror.username, PASSWORD, **PHONE)
    problems = _watch(page)
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")

    # The first entry to score is on the first screen of the phone.
    first_row = page.locator('tr[data-state="untouched"]').first
    assert first_row.bounding_box()["y"] < 900
    _expect()(page.locator(".finished-rounds tr").first).to_be_hidden()
    start = page.get_by_role("link", name=re.compile("Puntuar la siguiente candidatura"))
    assert start.bounding_box()["y"] < 900
    start.click()

    marks = ("6", "8", "9")
    for number, (assignment, mark) in enumerate(zip(mine, marks, strict=True), start=1):
        page.wait_for_url(re.compile(rf"/juror/assignments/{assignment.pk}/$"))
        expect(page.locator(".queue-position")).to_contain_text(f"{number} de 3")
        expect(page.locator("[data-sheet-status]")).to_have_text("Sin empezar")
        for criterion in world.criteria:
            page.locator(f"#id_value_{criterion.key}").fill(mark)
            page.locator(f"#id_comment_{criterion.key}").fill(f"Nota {mark}.")
        expect(page.locator("[data-live-total]")).to_contain_text(
            f"Total ponderado mientras escribe: {mark},00 (3 de 3 criterios puntuados)"
        )
        page.get_by_role("button", name="Guardar y siguiente").click()
        page.wait_for_url(lambda url, pk=assignment.pk: f"/juror/assignments/{pk}/" not in url)
        expect(page.get_by_role("status").first).to_contain_text("están guardadas")

    # Every entry holds its draft; "next" came round to the first one again.
    page.wait_for_url(re.compile(rf"/juror/assignments/{mine[0].pk}/$"))
    for assignment, mark in zip(mine, marks, strict=True):
        sheet = ScoreSheet.objects.get(assignment=assignment)
        assert sheet.status == "draft"
        assert {int(score.value) for score in sheet.scores.all()} == {int(mark)}
    expect(page.locator("[data-sheet-status]")).to_have_text("Borrador guardado")
    expect(page.locator("[data-saved-total]")).to_have_text("6,00")

    # Submitting needs the confirmation, then lands on the next entry to score.
    page.get_by_role("button", name="Enviar mis puntuaciones").click()
    expect(page.get_by_text("Marque esta casilla para enviar sus puntuaciones.")).to_be_visible()
    assert ScoreSheet.objects.get(assignment=mine[0]).status == "draft"
    for assignment in mine:
        page.wait_for_url(re.compile(rf"/juror/assignments/{assignment.pk}/$"))
        page.get_by_label("Entiendo que enviar bloquea la hoja").check()
        page.get_by_role("button", name="Enviar mis puntuaciones").click()
        page.wait_for_url(lambda url, pk=assignment.pk: f"/juror/assignments/{pk}/" not in url)
    page.wait_for_url(re.compile(r"/juror/$"))
    expect(page.get_by_text("Todas las candidaturas de esta ronda están puntuadas")).to_be_visible()
    assert ScoreSheet.objects.filter(assignment__in=mine, status="submitted").count() == 3
    assert not problems, problems


@pytest.mark.parametrize(("width", "beside"), [(1280, True), (390, False)])
def test_the_pdf_is_drawn_beside_the_rubric_under_our_policy(
    browser, transactional_db, width, beside
):
    world = JudgedCall(entries=1, jurors=2)
    world.assign_everyone()
    juror = world.jurors[1]
    assignment = Assignment.objects.get(juror=juror)
    AttachmentFactory(submission=assignment.submission, original_name="application.pdf")
    page = browser.signed_in(juror.username, PASSWORD, width=width, height=900)
    problems = _watch(page)
    page.goto(f"/juror/assignments/{assignment.pk}/")
    canvas = page.locator("[data-pdf-canvas] canvas").first
    _expect()(canvas).to_have_attribute("data-drawn", "1")
    _expect()(page.locator("[data-pdf-page]").first).to_have_text("Page 1 of 1")
    inked = page.evaluate(
        """() => {
            const canvas = document.querySelector('[data-pdf-canvas] canvas');
            const context = canvas.getContext('2d');
            const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
            let dark = 0;
            for (let i = 0; i < data.length; i += 4) if (data[i] < 128 && data[i + 3] > 0) dark++;
            return dark;
        }"""
    )
    assert inked > 50  # the page's text is drawn, not a blank canvas
    reader = page.locator(".pdf-pane").bounding_box()
    scores = page.locator("#scores").bounding_box()
    if beside:  # side by side: the reader left of the scores, both on the same rows
        assert reader["x"] + reader["width"] <= scores["x"] + 1
        assert abs(reader["y"] - scores["y"]) < 40
    else:
        assert scores["y"] >= reader["y"] + reader["height"] - 1
    _expect()(page.get_by_role("link", name=re.compile("^Download"))).to_be_visible()
    assert not problems, problems


def test_the_first_submit_of_an_empty_sheet_names_every_criterion_by_its_field(
    browser, transactional_db
):
    expect = _expect()
    world = JudgedCall(entries=1, jurors=2)
    world.assign_everyone()
    juror = world.jurors[1]
    assignment = Assignment.objects.get(juror=juror)
    page = browser.signed_in(juror.username, PASSWORD)
    page.goto(f"/juror/assignments/{assignment.pk}/")
    page.get_by_label("I understand that submitting locks the sheet").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my scores").click()
    for criterion in world.criteria:
        field = page.locator(f"#id_value_{criterion.key}").locator("xpath=..")
        expect(field.locator(".errorlist")).to_contain_text(f"Give a score for {criterion.label}")
    assert ScoreSheet.objects.get(assignment=assignment).status == "draft"
