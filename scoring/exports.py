"""Results as CSV and XLSX files: plain rows in, bytes out.

Every cell goes through ``safe_cell`` (OWASP's CSV injection rule): a text that a spreadsheet
would read as a formula (it starts with = + - @, a tab or a line break, or their full-width
forms) gets a leading single quote, so titles and names typed by cities and jurors are shown,
never run. In XLSX, texts are also written as strings, never as formulas. Numbers stay numbers.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value):
    """The value as an export cell: a text that starts like a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe_rows(rows: list[list]) -> list[list]:
    return [[safe_cell(value) for value in row] for row in rows]


def _append(sheet, row: list) -> None:
    sheet.append([safe_cell(value) for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = TYPE_STRING  # never a formula, whatever the text


COLUMNS = [
    "rank",
    "submission",
    "title",
    "organization",
    "theme",
    "score",
    "score_ci_low",
    "score_ci_high",
    "rank_ci_low",
    "rank_ci_high",
    "n_sheets",
    "std",
    "spread",
    "flagged",
    "raw_mean",
    "raw_rank",
    "p_top",
    "uncertain_at_cut",
]


def flat_rows(ranking: list[dict]) -> list[list]:
    return [
        [
            row["rank"],
            row["submission"],
            row["title"],
            row["organization"],
            row.get("theme"),
            row["score"],
            row["score_ci"][0],
            row["score_ci"][1],
            row["rank_ci"][0],
            row["rank_ci"][1],
            row["n_sheets"],
            row["std"],
            row["spread"],
            row["flagged"],
            row["raw_mean"],
            row["raw_rank"],
            row.get("p_top"),
            row.get("uncertain"),
        ]
        for row in ranking
    ]


def columns(results: dict) -> list[str]:
    """The header; ``p_top`` names its cut (``p_top_8``: the chance of being in the top 8)."""
    top_n = results.get("top_n")
    return [f"p_top_{top_n}" if c == "p_top" and top_n else c for c in COLUMNS]


def results_csv(results: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns(results))
    writer.writerows(_safe_rows(flat_rows(results["ranking"])))
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8


def results_xlsx(results: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Ranking"
    _append(sheet, columns(results))
    for row in flat_rows(results["ranking"]):
        _append(sheet, row)
    agreement = book.create_sheet("Agreement")
    _append(agreement, ["statistic", "value", "note"])
    for form, value in results["agreement"]["icc"].items():
        _append(agreement, [form, value, results["agreement"]["icc_reasons"].get(form, "")])
    _append(
        agreement,
        [
            "Kendall's W",
            results["agreement"]["kendall_w"],
            results["agreement"].get("kendall_w_reason") or "",
        ],
    )
    jurors = book.create_sheet("Jurors")
    _append(jurors, ["juror", "username", "n_sheets", "mean", "severity"])
    for row in results["jurors"]:
        _append(
            jurors,
            [row["juror"], row.get("username"), row["n_sheets"], row["mean"], row["severity"]],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
