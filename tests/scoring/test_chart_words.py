"""Every word the charts show comes through the reader's `say` (scoring.charts is pure: the page
passes the catalog's translation), and criteria, regions and jurors are shown by their names."""

import json

from scoring import charts
from submissions.notices import Phrase
from tests.scoring.test_chart_labels import standings_and_facts


def _marked(phrase: Phrase) -> str:
    return f"«{phrase}»"


def _figures():
    standings, facts, names, entries = standings_and_facts()
    for pk in entries:
        facts[pk] = {**facts[pk], "region": "latin_america", "theme": "Governance"}
    criteria = {key: f"Label of {key}" for key in standings.criteria.columns}
    jurors = {pk: f"Juror named {pk}" for pk in names}
    chart_names = charts.ChartNames(say=_marked, criteria=criteria, jurors=jurors)
    built = charts.figures(standings, facts, names, entries[:3], names=chart_names)
    return built, criteria, jurors


def test_titles_axes_and_readings_are_all_worded_by_say():
    built, _criteria, _jurors = _figures()
    assert len(built) == 7
    for figure, reading in built:
        layout = json.loads(figure.to_json())["layout"]
        assert layout["title"]["text"].startswith("«"), layout["title"]
        for axis in ("xaxis", "yaxis"):
            title = layout.get(axis, {}).get("title", {}).get("text")
            assert title is None or title.startswith("«"), title
        assert reading.startswith("«") and reading.endswith("»"), reading


def test_legend_names_are_worded_or_are_names_never_trace_numbers():
    built, _criteria, _jurors = _figures()
    for figure, _reading in built:
        for trace in json.loads(figure.to_json())["data"]:
            name = trace.get("name")
            assert name or trace.get("showlegend") is False, trace["type"]
            assert "trace" not in (name or "")


def test_criteria_regions_methods_and_jurors_by_their_names():
    built, criteria, jurors = _figures()
    texts = json.dumps([json.loads(figure.to_json()) for figure, _ in built], ensure_ascii=False)
    for label in criteria.values():
        assert label in texts
    for key in criteria:
        assert f'"{key}"' not in texts
    assert "«Latin America & Caribbean»" in texts and "latin_america" not in texts
    assert "«rank by «Calibrated for juror severity»»" in texts and "fixed_effects" not in texts
    heatmap = next(f for f, _ in built if f.data[0].type == "heatmap")
    assert set(heatmap.data[0].x) <= set(jurors.values())


def test_without_say_the_charts_speak_plain_english():
    standings, facts, names, entries = standings_and_facts()
    [(bars, reading)] = charts.figures(standings, facts, names, entries[:2], ("ranked_bars",))
    assert bars.layout.title.text == "Ranked entries with 95% score intervals"
    assert reading.startswith("Each bar is an entry's score")
