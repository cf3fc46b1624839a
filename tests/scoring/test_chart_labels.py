"""Issue 10, item 11: a text typed by a city or a juror reaches every Plotly figure escaped,
so Plotly's HTML subset (<a href>, <b>, <br>) in a title is shown as typed, never drawn."""

import json

from scoring import charts
from scoring.standings import compute_standings
from scoring.synthetic import synthetic_scores

LINK = '<a href="https://evil.example">Vote here</a>'
BOLD = "<b>Best</b> & <br>brightest"


def standings_and_facts():
    values, weights, truth = synthetic_scores(6, 4, 2, 3, seed=11, scale=(1.0, 10.0))
    standings = compute_standings(values, weights, truth.scale, "fixed_effects")
    entries = [int(s) for s in standings.ranking.index]
    facts = {
        pk: {"title": f"Entry {pk}", "organization": f"City {pk}", "region": "europe", "theme": ""}
        for pk in entries
    }
    facts[entries[0]] = {"title": LINK, "organization": BOLD, "region": LINK, "theme": BOLD}
    names = {int(j): f"juror{j}" for j in standings.jurors.index}
    names[next(iter(names))] = "<a href='https://evil.example'>juror</a>"
    return standings, facts, names, entries


def figures(standings, facts, names, shortlist):
    criteria = {key: LINK for key in standings.criteria.columns}
    chart_names = charts.ChartNames(criteria=criteria, jurors=names)
    return [
        figure
        for figure, _reading in charts.figures(
            standings, facts, names, shortlist, names=chart_names
        )
    ]


def _texts(value):
    """Every string of a figure's data (labels, names, hover texts)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def test_no_figure_carries_a_users_markup():
    standings, facts, names, entries = standings_and_facts()
    for figure in figures(standings, facts, names, entries[:2]):
        data = json.loads(figure.to_json())["data"]
        texts = list(_texts(data))
        for text in texts:
            assert "<a" not in text and "<b>" not in text and "<br>bright" not in text, text


def test_the_titles_are_shown_as_typed():
    standings, facts, names, _entries = standings_and_facts()
    bars = json.loads(charts.ranked_bars(standings, facts)[0].to_json())["data"][0]
    escaped = '&lt;a href="https://evil.example"&gt;Vote here&lt;/a&gt;'
    assert any(escaped[:30] in label for label in bars["y"])
    heatmap = json.loads(
        charts.juror_heatmap(standings, facts, charts.ChartNames(jurors=names))[0].to_json()
    )["data"][0]
    assert "&lt;a href='https://evil.example'&gt;juror&lt;/a&gt;" in heatmap["x"]


def test_our_own_markup_in_hover_templates_stays():
    standings, facts, _names, _entries = standings_and_facts()
    bars = charts.ranked_bars(standings, facts)[0]
    assert bars.data[0].hovertemplate.startswith("%{y}<br>")
