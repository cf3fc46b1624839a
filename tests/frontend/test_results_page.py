"""The secretariat's results page: the entries at the cut first with their odds, filters (the
jury's "to discuss" list among them, each entry on it linked to its discussion), the notices
in plain words, the exports, Shortlist and Release after a confirmation; and the page that
settles the cut with more reviews."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jury.models import Assignment
from scoring import deliberation, results
from scoring.models import Score, ScoreSheet
from submissions.models import AuditEvent, Organization
from tests.factories import JurorProfileFactory, JuryMemberFactory
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def cut():
    return JudgedCall.at_the_cut()


def results_url(world, **query):
    params = "&".join(f"{k}={v}" for k, v in {"round": 1, "top_n": 3, **query}.items())
    return f"/secretariat/calls/{world.call.slug}/results/?{params}"


def html_of(response) -> str:
    return response.content.decode()


def test_the_uncertain_entries_come_first_with_their_odds(page, cut):
    html = html_of(page(cut.staff).get(results_url(cut)))
    assert "the chance of being in the top 3" in html
    section = html[html.index('id="at-the-cut"') : html.index("Filter the ranking")]
    clear_in = cut.entries[0].title
    assert clear_in not in section  # settled entries are not at the cut
    middle = [e.title for e in cut.entries[2:6] if e.title in section]
    assert middle and html.index(middle[0]) < html.rindex(clear_in)
    assert "%" in section and "Settle the cut with more reviews" in section


def test_the_ranking_filters_by_theme_region_and_the_cut(page, cut):
    client = page(cut.staff)
    theme = cut.entries[0].theme
    by_theme = html_of(client.get(results_url(cut, theme=theme)))
    table = by_theme[by_theme.index("<caption>Ranking") :]
    for entry in cut.entries:
        assert (entry.title in table) == (entry.theme == theme), entry.title
    Organization.objects.filter(pk=cut.entries[1].organization_id).update(region="africa")
    by_region = html_of(client.get(results_url(cut, region="africa")))
    table = by_region[by_region.index("<caption>Ranking") :]
    assert cut.entries[1].title in table and cut.entries[7].title not in table
    assert '<option value="africa" selected>Africa</option>' in by_region
    uncertain = html_of(client.get(results_url(cut, uncertain=1)))
    table = uncertain[uncertain.index("<caption>Ranking") :]
    assert cut.entries[0].title not in table and cut.entries[7].title not in table
    assert "uncertain at the cut" in table


def test_notices_are_worded_for_a_person_with_names(page, cut):
    juror = JurorProfileFactory(user__username="ana.ruiz").user
    JuryMemberFactory(call=cut.call, juror=juror)
    assignment = Assignment.objects.create(round=cut.round, submission=cut.entries[0], juror=juror)
    sheet = ScoreSheet.objects.create(assignment=assignment, status="submitted")
    Score.objects.create(sheet=sheet, criterion=cut.criteria[0], value=9)
    html = html_of(page(cut.staff).get(results_url(cut)))
    assert "ana.ruiz scored a single entry" in html
    assert "fixed_effects:" not in html and "juror(s)" not in html


def test_a_round_without_sheets_says_so_once(page):
    world = JudgedCall()
    html = html_of(page(world.staff).get(f"/secretariat/calls/{world.call.slug}/results/"))
    assert html.count("nothing to rank") + html.count("No submitted score sheet") == 1


def test_the_export_buttons_download_the_ranking(page, cut):
    client = page(cut.staff)
    html = html_of(client.get(results_url(cut, method="zscore")))
    links = re.findall(r'href="([^"]+)"', html)
    csv_link = next(link for link in links if ".csv?" in link)
    xlsx_link = next(link for link in links if ".xlsx?" in link)
    answer = client.get(csv_link.replace("&amp;", "&"))
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert "p_top_3" in answer.content.decode("utf-8-sig").splitlines()[0]
    assert client.get(xlsx_link.replace("&amp;", "&")).status_code == 200
    assert "method=zscore" in csv_link


def test_shortlist_asks_for_a_confirmation_first(page, cut):
    client = page(cut.staff)
    url = f"/secretariat/calls/{cut.call.slug}/shortlist/"
    asked = client.post(url, {"round": 1, "top_n": 2, "method": "fixed_effects"})
    assert asked.status_code == 200
    assert "Shortlist these entries?" in html_of(asked)
    assert cut.entries[0].title in html_of(asked)
    assert not cut.call.submissions.filter(status="shortlisted").exists()
    done = client.post(url, {"round": 1, "top_n": 2, "method": "fixed_effects", "confirmed": 1})
    assert done.status_code == 302
    assert cut.call.submissions.filter(status="shortlisted").count() == 2


def test_release_asks_for_a_confirmation_first(page, cut):
    client = page(cut.staff)
    url = f"/secretariat/calls/{cut.call.slug}/release/"
    asked = client.post(url, {"round": 1})
    assert "Release the results?" in html_of(asked) and "cannot be taken back" in html_of(asked)
    cut.round.refresh_from_db()
    assert cut.round.results_released_at is None
    assert client.post(url, {"round": 1, "confirmed": 1}).status_code == 302
    cut.round.refresh_from_db()
    assert cut.round.results_released_at is not None


def extra_url(world):
    return f"/secretariat/calls/{world.call.slug}/extra-reviews/"


def test_extra_reviews_are_previewed_then_applied_after_a_confirmation(page, cut):
    client = page(cut.staff)
    assert "How many more reviews" in html_of(client.get(extra_url(cut) + "?round=1&top_n=3"))
    form = {"round": 1, "top_n": 3, "method": "fixed_effects", "k": 3}
    before = Assignment.objects.count()
    preview = client.post(extra_url(cut), {**form, "apply": "0"})
    html = html_of(preview)
    assert preview.status_code == 200 and "Apply: assign 3 extra reviews" in html
    assert Assignment.objects.count() == before
    plan = html.split('name="plan" value="')[1].split('"')[0]
    unconfirmed = client.post(extra_url(cut), {**form, "apply": "1", "plan": plan})
    assert unconfirmed.status_code == 400 and Assignment.objects.count() == before
    assert "Tick this box to apply the plan." in html_of(unconfirmed)
    applied = client.post(extra_url(cut), {**form, "apply": "1", "plan": plan, "confirm": "on"})
    assert applied.status_code == 302 and "/results/" in applied["Location"]
    assert Assignment.objects.count() == before + 3
    assert AuditEvent.objects.filter(action="assignment.extra_reviews").count() == 1


def test_a_bad_k_is_refused_in_words_on_the_page(page, cut):
    client = page(cut.staff)
    for k, words in (("-2", "from 1 to"), ("many", "from 1 to"), ("400", "At most")):
        refused = client.post(extra_url(cut), {"round": 1, "top_n": 3, "k": k, "apply": "0"})
        assert refused.status_code == 400 and words in html_of(refused), k


def test_the_chair_settles_the_cut_a_juror_may_not(page, cut):
    form = {"round": 1, "top_n": 3, "k": 2, "apply": "0"}
    assert page(cut.chair).post(extra_url(cut), form).status_code == 200
    assert page(cut.jurors[3]).post(extra_url(cut), form).status_code == 403


def test_the_reason_for_ineligibility_does_not_read_optional(page, cut):
    html = html_of(page(cut.staff).get(f"/secretariat/entries/{cut.entries[0].pk}/"))
    label = html[html.index('id="field-reason"') :]
    label = label[: label.index("</label>")]
    assert "needed when ineligible" in label and "optional" not in label


def test_the_results_page_speaks_french(page, cut):
    juror = JurorProfileFactory(user__username="ana.ruiz").user
    JuryMemberFactory(call=cut.call, juror=juror)
    assignment = Assignment.objects.create(round=cut.round, submission=cut.entries[0], juror=juror)
    sheet = ScoreSheet.objects.create(assignment=assignment, status="submitted")
    Score.objects.create(sheet=sheet, criterion=cut.criteria[0], value=9)
    client = page(cut.staff)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    html = html_of(client.get(results_url(cut)))
    assert (
        "Incertaines au seuil : la chance d\N{RIGHT SINGLE QUOTATION MARK}être parmi les 3" in html
    )
    assert "ana.ruiz a noté une seule candidature" in html
    assert "scored a single entry" not in html
    asked = html_of(client.post(f"/secretariat/calls/{cut.call.slug}/release/", {"round": 1}))
    assert "Transmettre les résultats ?" in asked


def test_the_chair_finds_the_extra_reviews_from_the_progress_page(page, cut):
    html = html_of(page(cut.chair).get(f"/secretariat/calls/{cut.call.slug}/progress/?round=1"))
    assert f"/secretariat/calls/{cut.call.slug}/extra-reviews/?round=1" in html
    # After applying, the chair lands on the progress page, where the new reviews show.
    form = {"round": 1, "top_n": 3, "k": 2, "apply": "1", "confirm": "on"}
    applied = page(cut.chair).post(extra_url(cut), form)
    assert applied.status_code == 302 and "/progress/" in applied["Location"]


def ranking_of(html: str) -> list[int]:
    """The entries the ranking table shows, by number, in their order."""
    table = html[
        html.index("<caption>Ranking") : html.index("</table>", html.index("<caption>Ranking"))
    ]
    return [int(number) for number in re.findall(r"Entry no\. (\d+)</span>", table)]


def discussion_url(world, entry) -> str:
    return f"/secretariat/calls/{world.call.slug}/to-discuss/{entry.pk}/?round=1"


@pytest.fixture
def discussed(cut):
    """The cut's round with a discussion started on two entries the jurors agree on, one
    clearly in the top 3 and one clearly out: on the "to discuss" list for that alone."""
    deliberation.post(cut.chair, cut.round, cut.entries[0], "Is the baseline measured?")
    deliberation.post(cut.chair, cut.round, cut.entries[7], "Why so low on impact?")
    return cut


def test_the_to_discuss_filter_keeps_exactly_the_entries_of_the_to_discuss_list(page, discussed):
    listed = deliberation.to_discuss(discussed.staff, discussed.call, discussed.round, top_n=3)
    expected = {entry["submission"] for entry in listed["entries"]}
    # The list holds the entries uncertain at the cut and the two discussed, not all of them.
    assert {discussed.entries[0].pk, discussed.entries[7].pk} < expected
    assert len(expected) < len(discussed.entries)
    client = page(discussed.staff)
    everything = html_of(client.get(results_url(discussed)))
    assert set(ranking_of(everything)) == {entry.pk for entry in discussed.entries}
    html = html_of(client.get(results_url(discussed, to_discuss=1)))
    assert set(ranking_of(html)) == expected
    assert 'name="to_discuss" value="1" checked' in html
    assert f"{len(expected)} entries of {len(discussed.entries)} shown." in html


def test_each_entry_to_discuss_links_to_its_discussion_and_no_other_does(page, discussed):
    listed = deliberation.to_discuss(discussed.staff, discussed.call, discussed.round, top_n=3)
    expected = {entry["submission"] for entry in listed["entries"]}
    client = page(discussed.staff)
    html = html_of(client.get(results_url(discussed)))
    table = html[html.index("<caption>Ranking") :]
    for entry in discussed.entries:
        link = discussion_url(discussed, entry)
        assert (link in table) == (entry.pk in expected), entry.pk
    assert table.count("To discuss: open its discussion") == len(expected)
    opened = client.get(discussion_url(discussed, discussed.entries[0]))
    assert opened.status_code == 200 and "Is the baseline measured?" in html_of(opened)


def test_the_to_discuss_filter_combines_with_the_cut_and_follows_its_top_n(page, discussed):
    client = page(discussed.staff)
    both = html_of(client.get(results_url(discussed, to_discuss=1, uncertain=1)))
    uncertain = set(ranking_of(html_of(client.get(results_url(discussed, uncertain=1)))))
    assert set(ranking_of(both)) == uncertain  # every entry uncertain at the cut is to discuss
    assert discussed.entries[0].pk not in uncertain
    wider = deliberation.to_discuss(discussed.staff, discussed.call, discussed.round, top_n=6)
    at_six = html_of(client.get(results_url(discussed, top_n=6, to_discuss=1)))
    assert set(ranking_of(at_six)) == {entry["submission"] for entry in wider["entries"]}


def test_an_entry_discussed_before_any_sheet_is_listed_under_the_filtered_ranking(page, cut):
    unscored = cut.add_entry(title="Night buses for shift workers")
    deliberation.post(cut.chair, cut.round, unscored, "Who reads this one?")
    html = html_of(page(cut.staff).get(results_url(cut, to_discuss=1)))
    assert unscored.pk not in ranking_of(html)
    tail = html[html.index("Also to discuss, not in this ranking yet:") :]
    assert discussion_url(cut, unscored) in tail and "Night buses for shift workers" in tail
    unfiltered = html_of(page(cut.staff).get(results_url(cut)))
    assert "Also to discuss" not in unfiltered


def test_the_results_page_computes_the_standings_once_with_its_to_discuss_list(
    page, discussed, monkeypatch
):
    computed = []
    real = results.compute_standings
    monkeypatch.setattr(
        results, "compute_standings", lambda *a, **kw: computed.append(a) or real(*a, **kw)
    )
    answer = page(discussed.staff).get(results_url(discussed, to_discuss=1))
    assert answer.status_code == 200 and "To discuss: open its discussion" in html_of(answer)
    assert len(computed) == 1


def test_the_results_page_costs_the_same_queries_for_few_and_many_discussions(page, cut):
    client = page(cut.staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(results_url(cut, to_discuss=1)).status_code == 200
        return len(queries)

    few = count()
    for entry in cut.entries:
        deliberation.post(cut.chair, cut.round, entry, "Noted.")
        deliberation.record_consensus(cut.chair, cut.round, entry, "Agreed.")
    many = html_of(client.get(results_url(cut, to_discuss=1)))
    assert set(ranking_of(many)) == {entry.pk for entry in cut.entries}
    assert count() == few


def test_the_to_discuss_filter_speaks_french(page, discussed):
    client = page(discussed.staff)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    html = html_of(client.get(results_url(discussed, to_discuss=1)))
    assert "Seulement les candidatures à discuter" in html
    assert "À discuter : ouvrir sa discussion" in html
    assert "Only entries to discuss" not in html and "open its discussion" not in html
