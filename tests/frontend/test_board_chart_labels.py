"""Issue 10, item 11, on the Board's page: the charts drawn there come from the same builders,
so a title with markup reaches the page's chart specs escaped."""

import json

import pytest

from tests.scoring.test_chart_labels import LINK, _texts


@pytest.mark.django_db
def test_the_boards_page_charts_carry_no_users_markup(page, scene):
    scene.assign()
    scene.score_all()
    chosen = scene.shortlist_and_release(top_n=2)
    chosen[0].title = LINK
    chosen[0].save()
    html = page(scene.board).get(f"/board/calls/{scene.call.slug}/").content.decode()
    specs = [
        json.loads(block.split(">", 1)[1].split("</script>", 1)[0])
        for block in html.split('<script id="chart-')[1:]
    ]
    assert len(specs) == 7
    for spec in specs:
        for text in _texts(spec["data"]):
            assert "<a" not in text, text
    assert "&lt;a href=" in json.dumps(specs)


def _page_charts(client, url) -> tuple[str, list[dict]]:
    html = client.get(url).content.decode()
    specs = [
        json.loads(block.split(">", 1)[1].split("</script>", 1)[0])
        for block in html.split('<script id="chart-')[1:]
    ]
    return html, specs


@pytest.mark.django_db
def test_a_french_board_member_reads_the_charts_in_french_with_real_names(page, scene):
    for number, juror in enumerate(scene.jurors):
        juror.first_name, juror.last_name = "Juré", f"Numéro {number}"
        juror.save()
    scene.assign()
    scene.score_all()
    scene.shortlist_and_release(top_n=2)
    scene.board.language = "fr"
    scene.board.save()
    client = page(scene.board)
    client.cookies["django_language"] = "fr"
    html, specs = _page_charts(client, f"/board/calls/{scene.call.slug}/")
    assert len(specs) == 7
    for title in (
        "Candidatures classées, avec l’intervalle à 95 % de leur note",  # noqa: RUF001
        "Qui a noté quoi : le total de chaque membre du jury pour chaque candidature",
        "Notes par région et par thème",
    ):
        assert f">{title}</h3>" in html
    everything = json.dumps(specs, ensure_ascii=False)
    assert "trace" not in everything.casefold()
    assert "fixed_effects" not in everything and "region:" not in everything
    for spec in specs:
        # The title is printed above the chart, never under its toolbar.
        assert not spec["layout"].get("title", {}).get("text")
        for trace in spec["data"]:
            assert trace.get("name") or trace.get("showlegend") is False, trace
    by_kind = {trace["type"]: trace for spec in specs for trace in spec["data"]}
    profile = next(s for s in specs if s["data"][0].get("mode") == "lines+markers")
    assert profile["data"][0]["x"] == [c.label for c in scene.criteria]
    assert "impact" not in profile["data"][0]["x"]
    assert set(by_kind["heatmap"]["x"]) == {f"Juré Numéro {n}" for n in range(len(scene.jurors))}
    assert by_kind["heatmap"]["colorbar"]["title"]["text"] == "Total"
    calibrated = next(
        s
        for s in specs
        if s["layout"]["yaxis"].get("autorange") == "reversed"
        and s["layout"]["xaxis"].get("autorange") == "reversed"
    )
    assert calibrated["layout"]["xaxis"]["title"]["text"] == "rang selon la moyenne simple"
    assert (
        calibrated["layout"]["yaxis"]["title"]["text"]
        == "rang selon : Corrigé de la sévérité des jurés"
    )
    spread = specs[-1]["data"]
    assert [trace["name"] for trace in spread] == ["Région", "Thème"]
    assert set(spread[0]["x"]) == {"Europe"}
