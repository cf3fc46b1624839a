"""The Board working through a shortlist: how many are decided, one badge per entry, previous
and next between the shortlisted entries, scores readable on a phone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_shortlisted(db):
    scene = JudgedCall(entries=7, jurors=4)
    scene.assign()
    scene.score_all()
    scene.chosen = scene.shortlist_and_release(top_n=5)
    return scene


def _decide(client, scene, entry, outcome):
    url = f"/board/calls/{scene.call.slug}/entries/{entry.pk}/decision/"
    assert client.post(url, {"decision": outcome, "rationale": "Discussed."}).status_code == 302


def _shortlist_section(html: str) -> str:
    return html[html.index('id="shortlist"') : html.index('id="agreement-title"')]


def test_the_call_page_counts_the_decided_entries_of_the_shortlist(page, five_shortlisted):
    scene = five_shortlisted
    client = page(scene.board)
    url = f"/board/calls/{scene.call.slug}/"
    total = len(scene.chosen)
    assert f"0 of {total} decided" in client.get(url).content.decode()
    _decide(client, scene, scene.chosen[0], "awarded")
    _decide(client, scene, scene.chosen[1], "not_selected")
    html = client.get(url).content.decode()
    assert f"2 of {total} decided" in html
    assert f'<progress value="2" max="{total}"' in html


def test_the_count_is_in_the_readers_language(page, five_shortlisted):
    scene = five_shortlisted
    scene.board.language = "fr"
    scene.board.save()
    client = page(scene.board)
    client.cookies["django_language"] = "fr"
    html = client.get(f"/board/calls/{scene.call.slug}/", HTTP_ACCEPT_LANGUAGE="fr").content
    assert f"Décision prise pour 0 sur {len(scene.chosen)}" in html.decode()


def test_a_special_mention_shows_one_badge_not_awarded_as_well(page, five_shortlisted):
    scene = five_shortlisted
    client = page(scene.board)
    entry = scene.chosen[0]
    _decide(client, scene, entry, "special_mention")
    html = client.get(f"/board/calls/{scene.call.slug}/entries/{entry.pk}/").content.decode()
    assert html.count("Special mention</span>") == 1
    assert "Awarded</span>" not in html
    call_page = client.get(f"/board/calls/{scene.call.slug}/").content.decode()
    row = _shortlist_section(call_page).split(f"/entries/{entry.pk}/")[1].split("</tr>")[0]
    assert row.count('class="badge') == 1 and "Special mention" in row
    assert "Awarded" not in row


def test_previous_and_next_follow_the_shortlist_in_the_call_pages_order(page, five_shortlisted):
    scene = five_shortlisted
    client = page(scene.board)
    call_page = _shortlist_section(client.get(f"/board/calls/{scene.call.slug}/").content.decode())
    order = [
        int(part.split("/")[0])
        for part in call_page.split(f"/board/calls/{scene.call.slug}/entries/")[1:]
    ]
    assert sorted(order) == sorted(e.pk for e in scene.chosen)

    def pager(pk):
        html = client.get(f"/board/calls/{scene.call.slug}/entries/{pk}/").content.decode()
        nav = html[html.index('class="pager"') : html.index("</nav>", html.index('class="pager"'))]
        previous = nav.split('rel="prev" href="')[1].split('"')[0] if 'rel="prev"' in nav else None
        following = nav.split('rel="next" href="')[1].split('"')[0] if 'rel="next"' in nav else None
        return nav, previous, following

    base = f"/board/calls/{scene.call.slug}/entries/"
    nav, previous, following = pager(order[0])
    assert f"Entry 1 of {len(order)} on the shortlist" in nav
    assert previous is None and following == f"{base}{order[1]}/"
    nav, previous, following = pager(order[2])
    assert f"Entry 3 of {len(order)} on the shortlist" in nav
    assert previous == f"{base}{order[1]}/" and following == f"{base}{order[3]}/"
    nav, previous, following = pager(order[-1])
    assert previous == f"{base}{order[-2]}/" and following is None


def test_an_entry_opened_directly_still_steps_through_the_shortlist(page, five_shortlisted):
    scene = five_shortlisted
    numbers = sorted(e.pk for e in scene.chosen)
    html = (
        page(scene.board)
        .get(f"/board/calls/{scene.call.slug}/entries/{numbers[1]}/")
        .content.decode()
    )
    assert f"Entry 2 of {len(numbers)} on the shortlist" in html
    assert f'rel="next" href="/board/calls/{scene.call.slug}/entries/{numbers[2]}/"' in html


def test_the_scores_of_an_entry_are_cards_labelled_by_juror_on_a_phone(page, five_shortlisted):
    scene = five_shortlisted
    entry = scene.chosen[0]
    html = (
        page(scene.board)
        .get(f"/board/calls/{scene.call.slug}/entries/{entry.pk}/")
        .content.decode()
    )
    table = html[html.index('id="scores-title"') :]
    assert '<table class="stack">' in table
    for juror in entry.assignments.select_related("juror"):
        name = juror.juror.get_full_name() or juror.juror.username
        assert f'data-label="{name}"' in table


def test_the_board_home_says_how_much_of_each_shortlist_is_decided(page, five_shortlisted):
    scene = five_shortlisted
    client = page(scene.board)
    assert f"0 of {len(scene.chosen)} decided" in client.get("/board/").content.decode()
    _decide(client, scene, scene.chosen[2], "selected")
    assert f"1 of {len(scene.chosen)} decided" in client.get("/board/").content.decode()


def test_the_board_home_makes_the_same_queries_for_one_shortlist_or_three(page, five_shortlisted):
    client = page(five_shortlisted.board)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/board/").status_code == 200
        return len(context.captured_queries)

    one = queries()
    for _ in range(2):
        other = JudgedCall(entries=3, jurors=2)
        other.board = five_shortlisted.board
        other.assign()
        other.score_all()
        other.shortlist_and_release(top_n=1)
    assert queries() == one
    assert client.get("/board/").content.decode().count(" decided</strong>") == 3
