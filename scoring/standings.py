"""The whole result of a round, from raw scores: ranking, intervals, agreement, jurors.

Pure (pandas/numpy, no Django): ``compute_standings`` composes the aggregation, agreement
and bootstrap modules into one plain structure that the API, the CSV/XLSX exports, the
pages and the Board report all read, so none of them computes anything twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .aggregation import rank_submissions, sheet_totals
from .agreement import ICC_FORMS, agreement_report
from .uncertainty import bootstrap_ranking

DEFAULT_SEED = 2014  # fixed, so that the same sheets always give the same intervals
DEFAULT_RESAMPLES = 1000


@dataclass(frozen=True)
class Standings:
    method: str
    scale: tuple[float, float]
    ranking: pd.DataFrame  # by submission, sorted by rank; see RANKING_COLUMNS
    totals: pd.DataFrame  # submission, juror, total: one row per sheet
    criteria: pd.DataFrame  # submission x criterion: mean value
    jurors: pd.DataFrame  # by juror: n_sheets, mean, severity
    agreement: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


RANKING_COLUMNS = (
    "rank",
    "score",
    "n_sheets",
    "std",
    "spread",
    "flagged",
    "score_low",
    "score_high",
    "rank_low",
    "rank_high",
    "raw_mean",
    "raw_rank",
)


def empty_standings(method: str, scale: tuple[float, float], reason: str) -> Standings:
    ranking = pd.DataFrame(columns=list(RANKING_COLUMNS), index=pd.Index([], name="submission"))
    icc = dict.fromkeys(ICC_FORMS)
    return Standings(
        method=method,
        scale=scale,
        ranking=ranking,
        totals=pd.DataFrame(columns=["submission", "juror", "total"]),
        criteria=pd.DataFrame(),
        jurors=pd.DataFrame(columns=["n_sheets", "mean", "severity"]),
        agreement={
            "icc": icc,
            "icc_reasons": dict.fromkeys(ICC_FORMS, reason),
            "icc_design": None,
            "kendall_w": None,
            "kendall_reason": reason,
            "kendall_block": None,
            "n_jurors": 0,
            "n_submissions": 0,
        },
        warnings=[reason],
    )


def compute_standings(
    values: pd.DataFrame,
    weights: Mapping[str, float],
    scale: tuple[float, float],
    method: str,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    tie_break: str | None = None,
    spread_threshold: float | None = None,
) -> Standings:
    if values.empty:
        return empty_standings(method, scale, "no submitted score sheets yet")
    ranking = rank_submissions(values, weights, scale, method, tie_break=tie_break)
    boot = bootstrap_ranking(
        values, weights, scale, method, n_resamples=n_resamples, seed=seed, tie_break=tie_break
    )
    agreement = agreement_report(values, weights, scale, spread_threshold)
    raw = rank_submissions(values, weights, scale, "mean")

    table = ranking.table.copy()
    table["flagged"] = agreement.submissions["flagged"].reindex(table.index).astype(bool)
    for column in ("score_low", "score_high", "rank_low", "rank_high"):
        table[column] = boot.table[column].reindex(table.index)
    table["raw_mean"] = raw.table["score"].reindex(table.index)
    table["raw_rank"] = raw.table["rank"].reindex(table.index)

    totals = sheet_totals(values, weights)
    criteria = values.pivot_table(
        index="submission", columns="criterion", values="value", aggfunc="mean"
    )
    jurors = agreement.jurors.rename(columns={"mean_total": "mean"})
    icc = agreement.icc
    kendall = agreement.kendall
    return Standings(
        method=method,
        scale=scale,
        ranking=table[list(RANKING_COLUMNS)],
        totals=totals,
        criteria=criteria,
        jurors=jurors,
        agreement={
            "icc": {form: _number(icc.get(form)) for form in ICC_FORMS},
            "icc_reasons": dict(icc.get("reasons") or {}),
            "icc_design": icc.get("design"),
            "kendall_w": _number(kendall.get("W")),
            "kendall_reason": kendall.get("reason"),
            "kendall_block": kendall.get("block"),
            "n_jurors": int(totals["juror"].nunique()),
            "n_submissions": int(totals["submission"].nunique()),
        },
        warnings=list(dict.fromkeys([*ranking.warnings, *boot.warnings])),
    )


def _number(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if not np.isfinite(value) else value


def ranking_rows(standings: Standings) -> list[dict[str, Any]]:
    """The ranking as plain rows (JSON-ready), best first."""
    rows = []
    for submission, row in standings.ranking.iterrows():
        rows.append(
            {
                "submission": int(submission),
                "rank": int(row["rank"]),
                "score": _round(row["score"]),
                "n_sheets": int(row["n_sheets"]),
                "std": _round(row["std"]),
                "spread": _round(row["spread"]),
                "score_ci": [_round(row["score_low"]), _round(row["score_high"])],
                "rank_ci": [_int(row["rank_low"]), _int(row["rank_high"])],
                "flagged": bool(row["flagged"]),
                "raw_mean": _round(row["raw_mean"]),
                "raw_rank": _int(row["raw_rank"]),
            }
        )
    return rows


def juror_rows(standings: Standings) -> list[dict[str, Any]]:
    return [
        {
            "juror": int(juror),
            "n_sheets": int(row["n_sheets"]),
            "mean": _round(row["mean"]),
            "severity": _round(row["severity"]),
        }
        for juror, row in standings.jurors.iterrows()
    ]


def _round(value, digits: int = 3) -> float | None:
    number = _number(value) if value is not None and not pd.isna(value) else None
    return None if number is None else round(number, digits)


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
