"""The Board report opens offline in a real browser, with every chart drawn."""

import pytest

from scoring.report import board_report_html
from scoring.standings import compute_standings
from scoring.synthetic import synthetic_scores

pytestmark = pytest.mark.browser


def test_the_report_draws_every_chart_with_no_network(chromium, tmp_path):
    values, weights, truth = synthetic_scores(40, 8, 3, 6, seed=5, scale=(1.0, 10.0))
    standings = compute_standings(values, weights, truth.scale, "fixed_effects")
    facts = {
        int(s): {
            "title": f"Entry {s}",
            "organization": f"City {s}",
            "region": "europe",
            "theme": "Governance",
        }
        for s in values["submission"].unique()
    }
    names = {int(j): f"juror{j}" for j in values["juror"].unique()}
    report = tmp_path / "report.html"
    report.write_text(
        board_report_html(
            standings,
            facts,
            names,
            call_title="5th Award",
            round_name="First round",
            shortlist=list(standings.ranking.index[:5]),
        )
    )
    context = chromium.new_context()
    requests = []
    # Anything but the file itself would need a network: refuse it, and remember it.
    context.route(
        "**/*",
        lambda route: (
            (requests.append(route.request.url), route.abort())
            if not route.request.url.startswith("file://")
            else route.continue_()
        ),
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(report.as_uri())
    for number in range(1, 8):
        chart = page.locator(f"#chart-{number} .main-svg").first
        chart.wait_for(state="attached", timeout=15_000)
        assert page.locator(f"#chart-{number} .plot-container").count() == 1
    assert page.locator("table.agreement tr").count() == 8
    assert errors == [] and requests == []
    context.close()
