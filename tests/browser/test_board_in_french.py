"""A Board member reads the charts in French and decides one entry, at 1280 px and at 390 px:
titles and axes in French, criteria and jurors by their names, no "trace", no code name; on a
phone no sideways scrolling and no toolbar over a title; axe finds nothing serious on the Board's
pages at either width (issue 14, item 6)."""

import re

import pytest

from tests.browser.test_accessibility import WIDTHS, Tour
from tests.worlds import JudgedCall

pytestmark = pytest.mark.browser
CHARTS = 7
FRENCH_TITLES = [
    "Candidatures classées, avec l’intervalle à 95 % de leur note",  # noqa: RUF001
    "Quelle certitude pour chaque rang ? (intervalles de rang à 90 %)",
    "Profil par critère de la présélection",
    "Moyenne simple face au classement calibré",
    "Qui a noté quoi : le total de chaque membre du jury pour chaque candidature",
    "Sévérité du jury : comment chaque membre note par rapport à ses collègues",
    "Notes par région et par thème",
]
CHART_TEXT = """() => [...document.querySelectorAll('.chart svg text')].map(t => t.textContent)"""
OVERLAPS = """() => [...document.querySelectorAll('figure.chart-card')].filter(figure => {
    const title = figure.querySelector('.chart-title').getBoundingClientRect();
    return [...figure.querySelectorAll('.modebar')].some(bar => {
        const box = bar.getBoundingClientRect();
        if (!box.width || getComputedStyle(bar).display === 'none') return false;
        return !(box.right <= title.left || box.left >= title.right ||
                 box.bottom <= title.top || box.top >= title.bottom);
    });
}).length"""
SIDEWAYS = """() => document.documentElement.scrollWidth - document.documentElement.clientWidth"""
# Score tables shown on the page that would need scrolling sideways inside their box.
WIDE_TABLES = """() => [...document.querySelectorAll('.table-wrap')]
    .filter(wrap => wrap.offsetParent && wrap.scrollWidth > wrap.clientWidth + 1).length"""


@pytest.fixture
def judged(transactional_db):
    scene = JudgedCall(title="Prix Metropolis 2030", entries=6, jurors=4)
    for number, juror in enumerate(scene.jurors):
        juror.first_name, juror.last_name = ["Amal", "Camilo", "Ji-won", "Grace"][number], "Test"
        juror.save()
    scene.assign()
    scene.score_all()
    scene.chosen = scene.shortlist_and_release(top_n=3)
    return scene


def _draw(page, count=CHARTS):
    """Scroll through the charts (each is drawn as it comes near the screen)."""
    for number in range(1, count + 1):
        page.locator(f"#chart-{number}").scroll_into_view_if_needed()
        page.locator(f"#chart-{number} .main-svg").first.wait_for(state="attached")


def test_a_board_member_reads_the_charts_in_french_and_decides_on_any_screen(
    chromium, live_server, judged
):
    from playwright.sync_api import expect

    tour = Tour(chromium, live_server.url)
    page = tour.page
    try:
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        tour.sign_in(judged.board.username)
        page.get_by_role("button", name="Français").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        url = f"/board/calls/{judged.call.slug}/"
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            _draw(page)
            titles = page.locator(".chart-title").all_text_contents()
            assert titles == FRENCH_TITLES
            texts = page.evaluate(CHART_TEXT)
            joined = " ".join(texts)
            assert "trace" not in joined.casefold()
            for code in ("fixed_effects", "region:", "impact", "innovation", "transfer"):
                assert code not in joined, code
            assert "rang selon la moyenne simple" in texts
            assert "rang selon : Corrigé de la sévérité des jurés" in texts
            assert {"Amal Test", "Grace Test"} <= set(texts)
            assert "Innovation" in texts and "Région" in texts
            assert page.evaluate(OVERLAPS) == 0, f"a toolbar covers a title at {width} px"
            assert page.evaluate(SIDEWAYS) <= 0, f"the page scrolls sideways at {width} px"
            assert page.evaluate(WIDE_TABLES) == 0, f"a score table scrolls at {width} px"
            for number in range(1, CHARTS + 1):
                box = page.locator(f"#chart-{number}").bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
        # The toolbar is there on a wide screen (on hover), in French, and left out on a phone.
        assert page.locator(".modebar").count() == 0
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        page.goto(url)
        _draw(page)  # axe reads the charts drawn, with plotly's buttons in them
        tips = page.locator("#chart-1 .modebar-btn").evaluate_all(
            "buttons => buttons.map(b => b.getAttribute('data-title'))"
        )
        assert "Échelle automatique" in tips and "Autoscale" not in tips
        tour.check("board", label=url)
        expect(page.get_by_text(f"Décision prise pour 0 sur {len(judged.chosen)}")).to_be_visible()

        # Deciding one entry, on a phone.
        page.set_viewport_size({"width": 390, "height": 844})
        first = page.locator("#shortlist ~ * a[href*='/entries/']").first
        first.click()
        page.wait_for_url(re.compile(r".*/entries/\d+/$"))
        expect(
            page.get_by_text(f"Candidature 1 sur {len(judged.chosen)} de la présélection")
        ).to_be_visible()
        assert page.evaluate(SIDEWAYS) <= 0 and page.evaluate(WIDE_TABLES) == 0
        tour.check("board", label="entry")
        page.get_by_label("Décision", exact=True).select_option("special_mention")
        page.get_by_label("Motivation").fill("Une référence pour les autres villes.")
        page.get_by_role("button", name="Enregistrer la décision").click()
        page.wait_for_url(re.compile(r".*/board/calls/[^/]+/(#shortlist)?$"))
        expect(page.get_by_text(f"Décision prise pour 1 sur {len(judged.chosen)}")).to_be_visible()
        row = page.locator("#shortlist ~ * tr", has=page.locator("a[href*='/entries/']")).first
        expect(row.locator(".badge")).to_have_count(1)
        expect(row.locator(".badge")).to_have_text("Mention spéciale")
        assert page.evaluate(SIDEWAYS) <= 0
    finally:
        tour.close()
    assert errors == []
    assert not tour.failures, "\n".join(tour.failures)
