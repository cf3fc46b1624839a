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

from submissions.notices import Notice, messages, unique

from .aggregation import incomplete_notices, method_contributions, rank_design
from .agreement import agreement_from_design, agreement_summary, empty_summary
from .fixed_effects import FixedEffectsSolver, fit_design
from .totals import (
    check_scale,
    check_values_in_scale,
    design_from_totals,
    sheet_totals_with_gaps,
)
from .uncertainty import bootstrap_design

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
    agreement: dict[str, Any]  # scoring.agreement.agreement_summary
    notices: list[Notice] = field(default_factory=list)
    top_n: int | None = None  # the cut that ``p_top`` refers to

    @property
    def warnings(self) -> list[str]:
        return messages(self.notices)


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
    "isolated",
    "p_top",
)


def empty_standings(method: str, scale: tuple[float, float], reason: str) -> Standings:
    ranking = pd.DataFrame(columns=list(RANKING_COLUMNS), index=pd.Index([], name="submission"))
    return Standings(
        method=method,
        scale=scale,
        ranking=ranking,
        totals=pd.DataFrame(columns=["submission", "juror", "total"]),
        criteria=pd.DataFrame(),
        jurors=pd.DataFrame(columns=["n_sheets", "mean", "severity"]),
        agreement=empty_summary(reason),
        notices=[Notice("no_sheets", reason)],
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
    top_n: int | None = None,
) -> Standings:
    """Ranking, intervals, top-``top_n`` probabilities, agreement and jurors, computing the
    sheet totals, the design and the fixed-effects fit once for all of them."""
    if values.empty:
        return empty_standings(method, scale, "no submitted score sheets yet")
    lo, hi = check_scale(scale)
    check_values_in_scale(values, lo, hi)
    totals, n_incomplete = sheet_totals_with_gaps(values, weights)
    d = design_from_totals(totals)
    solver = FixedEffectsSolver(d)
    fit = fit_design(d, solver)
    contrib = method_contributions(d, (lo, hi), method, fit)
    ranking = rank_design(d, (lo, hi), method, tie_break, fit, contrib)
    boot = bootstrap_design(
        d,
        (lo, hi),
        method,
        n_resamples=n_resamples,
        seed=seed,
        tie_break=tie_break,
        top_n=top_n,
        fit=fit,
        solver=solver,
        point=ranking,
        contributions=contrib,
    )
    agreement = agreement_from_design(d, (lo, hi), fit, spread_threshold)
    raw = rank_design(d, (lo, hi), "mean")

    table = ranking.table.copy()
    table["flagged"] = agreement.submissions["flagged"].reindex(table.index).astype(bool)
    for column in ("score_low", "score_high", "rank_low", "rank_high", "isolated"):
        table[column] = boot.table[column].reindex(table.index)
    table["raw_mean"] = raw.table["score"].reindex(table.index)
    table["raw_rank"] = raw.table["rank"].reindex(table.index)
    table["p_top"] = (
        boot.top_probability.reindex(table.index) if boot.top_probability is not None else np.nan
    )
    criteria = values.pivot_table(
        index="submission", columns="criterion", values="value", aggfunc="mean"
    )
    return Standings(
        method=method,
        scale=(lo, hi),
        ranking=table[list(RANKING_COLUMNS)],
        totals=totals,
        criteria=criteria,
        jurors=agreement.jurors.rename(columns={"mean_total": "mean"}),
        agreement=agreement_summary(agreement, d.n_jurors, d.n_submissions),
        notices=unique([*incomplete_notices(n_incomplete), *ranking.notices, *boot.notices]),
        top_n=top_n,
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
                "p_top": _round(row["p_top"]),
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
