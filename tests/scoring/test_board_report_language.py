"""The Board report in the reader's language: `board_report --language`, the report endpoint in
the reader's language (or the one asked for) and the Board page's download link."""

import html
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import ngettext

from jury.models import Assignment
from scoring.models import Score, ScoreSheet
from tests.support.clients import browser_for, client_for
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db

# The report's own words in English: none may be left in a French or Spanish report.
ENGLISH_WORDS = [
    "Board report",
    "Jury agreement",
    "Chance of being in the top",
    "chance of the top",
    "place at the cut",
    "uncertain at the cut",
    "entries ranked by",
    "report of",
    "Kendall's W",
    "<th>statistic</th>",
    "<th>value</th>",
    "The reliability of the jury's average",
    "who all read the same entries",
    "entries have an uncertain place",
    "a model that estimates each juror's severity",
    "Ranked entries with 95% score intervals",  # a chart's title
]
FRENCH = [
    '<html lang="fr">',
    "Rapport du Bureau",
    "Accord du jury",
    "Chance d\u2019être parmi les 10 premières",
    "candidatures classées selon un modèle qui estime la sévérité de chaque juré",
    "La fiabilité de la moyenne du jury (ICC2k) est de",
    "W de Kendall",
    # A chart's title, as the figure's JSON writes it.
    json.dumps("Candidatures classées, avec l\u2019intervalle à 95 % de leur note")[1:-1],
]
SPANISH = [
    '<html lang="es">',
    "Informe de la Junta",
    "Acuerdo del jurado",
    "Probabilidad de estar entre las 10 primeras",
    "candidaturas clasificadas según un modelo que estima la severidad de cada jurado",
    "La fiabilidad de la media del jurado (ICC2k) es",
    "W de Kendall",
]
MONTHS = {
    "fr": "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre",
    "es": "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|"
    "diciembre",
}


@pytest.fixture
def scored_call(db):
    return JudgedCall.scored()


def report_of(call, tmp_path, *language) -> str:
    out = tmp_path / "report.html"
    call_command("board_report", "--call", call.slug, "--out", str(out), *language)
    return out.read_text()


def words_left(page: str, words: list[str]) -> list[str]:
    """The words found in the page, as typed or HTML-escaped (an apostrophe is &#x27;)."""
    return [word for word in words if word in page or html.escape(word) in page]


def header(page: str) -> str:
    return page[page.index("<header>") : page.index("</header>")]


@pytest.mark.parametrize(("language", "expected"), [("fr", FRENCH), ("es", SPANISH)])
def test_the_command_writes_the_report_in_the_language_asked_for(
    scored_call, tmp_path, language, expected
):
    page = report_of(scored_call.call, tmp_path, "--language", language)
    assert words_left(page, expected) == expected
    assert words_left(page, ENGLISH_WORDS) == []
    # The date under the title with the language's month names, figures with its decimal mark.
    assert re.search(rf"\d+ (de )?({MONTHS[language]})", header(page))
    reading = page[page.index("(ICC2k)") :][:40]
    assert re.search(r"-?\d+,\d\d", reading), reading


def test_the_english_report_is_worded_as_before(scored_call, tmp_path):
    page = report_of(scored_call.call, tmp_path)
    assert '<html lang="en">' in page
    for words in (
        "<title>Board report · ",
        "<h2>Jury agreement</h2>",
        "<h2>Chance of being in the top 10</h2>",
        "entries ranked by a model that estimates each juror's severity and removes it",
        "<th>statistic</th><th>value</th><th>note</th>",
        "<th>rank</th><th>entry</th><th>chance of the top 10</th><th>place at the cut</th>",
        "The reliability of the jury's average (ICC2k) is ",
        "Ranked entries with 95% score intervals",
    ):
        assert words_left(page, [words]) == [words]
    assert re.search(r"report of \d\d? \w+ \d{4}|report of \w+\.? \d\d?, \d{4}", header(page))
    assert re.search(r"\(ICC2k\) is -?\d+\.\d\d: ", page)
    assert "Rapport du Bureau" not in page and "Accord du jury" not in page


def test_the_command_refuses_a_language_it_does_not_speak(scored_call, tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'de'"):
        report_of(scored_call.call, tmp_path, "--language", "de")


def test_the_report_endpoint_answers_in_the_readers_language_or_the_one_asked_for(scored_call):
    url = f"/api/v1/calls/{scored_call.call.slug}/report/"
    staff = client_for(scored_call.staff)
    french = staff.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert words_left(french, FRENCH) == FRENCH
    assert words_left(french, ENGLISH_WORDS) == []
    spanish = staff.get(url + "?language=es", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert words_left(spanish, SPANISH) == SPANISH
    assert "Accord du jury" not in spanish
    refused = staff.get(url + "?language=de")
    assert refused.status_code == 400
    assert "Unknown language 'de'. Choose one of: en, fr, es." in refused.content.decode()


def test_the_board_page_downloads_the_report_in_the_language_it_is_read_in(scored_call):
    scored_call.shortlist_and_release(top_n=2)
    board = browser_for(scored_call.board)
    board.post("/i18n/setlang/", {"language": "es", "next": "/board/"})
    page = board.get(f"/board/calls/{scored_call.call.slug}/").content.decode()
    link = re.search(r'href="(/api/v1/calls/[^"]+/report/\?[^"]+)"\s+download', page)
    assert link, "the page offers the report"
    url = link.group(1).replace("&amp;", "&")
    assert "language=es" in url
    report = board.get(url)
    assert report.status_code == 200
    document = report.content.decode()
    assert words_left(document, SPANISH) == SPANISH
    assert words_left(document, ENGLISH_WORDS) == []


def test_the_reports_notes_are_worded_in_the_readers_language(scored_call, tmp_path):
    """The computations' notices, in the report as on the results page: a sentence of the
    reader's language, not the computation's English."""
    lone = scored_call.add_entry(title="Read once")
    assignment = Assignment.objects.create(
        round=scored_call.round, submission=lone, juror=scored_call.jurors[0]
    )
    sheet = ScoreSheet.objects.create(assignment=assignment, status="submitted")
    for criterion in scored_call.criteria:
        Score.objects.create(sheet=sheet, criterion=criterion, value=5)
    english = "1 entry was read by one juror only: its score rests on that juror alone."
    assert english in report_of(scored_call.call, tmp_path, "--language", "en")
    french = report_of(scored_call.call, tmp_path, "--language", "fr")
    with translation.override("fr"):
        worded = ngettext(
            "%(count)s entry was read by one juror only: its score rests on that juror alone.",
            "%(count)s entries were read by one juror only: their scores rest on that juror alone.",
            1,
        ) % {"count": 1}
    assert worded != english
    assert words_left(french, [worded]) == [worded]
    assert english not in french
