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
