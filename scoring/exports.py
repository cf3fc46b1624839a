"""Results as CSV and XLSX files: plain rows in, bytes out."""

import csv
import io

from openpyxl import Workbook

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
        ]
        for row in ranking
    ]


def results_csv(results: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(flat_rows(results["ranking"]))
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8


def results_xlsx(results: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Ranking"
    sheet.append(COLUMNS)
    for row in flat_rows(results["ranking"]):
        sheet.append(row)
    agreement = book.create_sheet("Agreement")
    agreement.append(["statistic", "value", "note"])
    for form, value in results["agreement"]["icc"].items():
        agreement.append([form, value, results["agreement"]["icc_reasons"].get(form, "")])
    agreement.append(
        [
            "Kendall's W",
            results["agreement"]["kendall_w"],
            results["agreement"].get("kendall_w_reason") or "",
        ]
    )
    jurors = book.create_sheet("Jurors")
    jurors.append(["juror", "username", "n_sheets", "mean", "severity"])
    for row in results["jurors"]:
        jurors.append(
            [row["juror"], row.get("username"), row["n_sheets"], row["mean"], row["severity"]]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
