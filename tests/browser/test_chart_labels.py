"""Issue 10, item 11, in Chromium: a title written as a link is shown as text in the Board
report's charts; no link is drawn."""

import pytest

from scoring.report import board_report_html
from tests.scoring.test_chart_labels import standings_and_facts

pytestmark = pytest.mark.browser


def test_a_title_with_a_link_is_drawn_as_text_not_as_a_link(chromium, tmp_path):
    standings, facts, names, entries = standings_and_facts()
    report = tmp_path / "report.html"
    report.write_text(
        board_report_html(
            standings,
            facts,
            names,
            call_title="Award",
            round_name="First round",
            shortlist=entries[:2],
        )
    )
    context = chromium.new_context()
    page = context.new_page()
    page.goto(report.as_uri())
    for number in range(1, 8):
        page.locator(f"#chart-{number} .main-svg").first.wait_for(state="attached")
    assert page.locator(".js-plotly-plot svg a").count() == 0
    texts = page.locator("#chart-1 .ytick text").all_text_contents()
    assert any('<a href="https://evil.example">Vote' in text for text in texts), texts
    context.close()
