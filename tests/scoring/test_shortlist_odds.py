"""Each entry's chance of being in the top N, in the results endpoint, the CSV and XLSX exports
and the Board report, the entries uncertain at the cut first."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.support.clients import client_for
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def cut():
    return JudgedCall.at_the_cut()


def api(world, what="results/", **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client_for(world.staff).get(f"/api/v1/calls/{world.call.slug}/{what}?{query}")


def test_the_endpoint_gives_each_entry_its_odds_and_the_entries_at_the_cut(cut):
    data = api(cut, top_n=3).json()
    assert data["top_n"] == 3
    odds = {row["submission"]: row["p_top"] for row in data["ranking"]}
    assert odds[cut.entries[0].pk] == 1.0 and odds[cut.entries[7].pk] == 0.0
    flagged = [row["submission"] for row in data["ranking"] if row["uncertain"]]
    assert sorted(flagged) == sorted(data["at_the_cut"]) and flagged
    assert all(0.05 < odds[s] < 0.95 for s in data["at_the_cut"])
    assert api(cut).json()["top_n"] == 10  # the default cut is stated too


def test_a_wider_cut_changes_the_odds(cut):
    narrow = {r["submission"]: r["p_top"] for r in api(cut, top_n=1).json()["ranking"]}
    wide = {r["submission"]: r["p_top"] for r in api(cut, top_n=7).json()["ranking"]}
    assert all(wide[s] >= narrow[s] for s in narrow)
    assert sum(wide.values()) > sum(narrow.values())


@pytest.mark.parametrize("bad", ["0", "-2", "eight", "1.5"])
def test_a_bad_cut_is_a_clear_400(cut, bad):
    answer = api(cut, top_n=bad)
    assert answer.status_code == 400
    assert "top_n must be a whole number" in answer.json()["error"]["message"]


def test_the_exports_carry_the_odds_named_by_their_cut(cut):
    data = api(cut, top_n=3).json()
    body = api(cut, "results.csv", top_n=3).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {"p_top_3", "uncertain_at_cut"} <= set(rows[0])
    by_entry = {int(row["submission"]): row for row in rows}
    for row in data["ranking"]:
        assert float(by_entry[row["submission"]]["p_top_3"]) == row["p_top"]
        assert by_entry[row["submission"]]["uncertain_at_cut"] == str(row["uncertain"])
    book = load_workbook(io.BytesIO(api(cut, "results.xlsx", top_n=3).content))
    header = [cell.value for cell in book["Ranking"][1]]
    column = header.index("p_top_3") + 1
    assert book["Ranking"].cell(row=2, column=column).value == data["ranking"][0]["p_top"]


def test_the_board_report_lists_the_uncertain_entries_first_with_their_odds(cut):
    data = api(cut, top_n=3).json()
    page = api(cut, "report/", top_n=3).content.decode()
    assert "Chance of being in the top 3" in page
    table = page[page.index("Chance of being in the top 3") :]
    first = next(row for row in data["ranking"] if row["submission"] == data["at_the_cut"][0])
    certain = data["ranking"][0]
    assert table.index(first["title"]) < table.index(certain["title"])
    assert "uncertain at the cut" in table
