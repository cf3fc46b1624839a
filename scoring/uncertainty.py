"""Bootstrap intervals for scores and ranks.

Each replicate resamples every submission's own sheets with replacement (same number of
sheets), recomputes every submission's score and ranks all submissions; the table gives
the percentile interval of each score (default 95%) and the 5th-95th percentile interval
of each rank (default 90%).

What is resampled is the per-sheet contribution of the method
(``scoring.aggregation.method_contributions``): the sheet total for mean, median and
trimmed (exact: the statistic is recomputed from resampled totals), and for zscore,
fixed_effects and borda the sheet's z-score, severity-adjusted total or Borda points
computed **once from the full data**. Approximation: the jurors' means and sds (zscore),
severities (fixed_effects) and own rankings (borda) are held fixed, so the intervals
carry the sampling noise of each submission's sheets but not the uncertainty of those
juror-level estimates; they are somewhat too narrow, most for jurors with few sheets.
A submission with one sheet gets a zero-width interval (nothing to resample), which
understates its uncertainty; a warning says so.

Vectorised: submissions are grouped by their number of sheets, and each group is drawn
as one (replicates x submissions x sheets) index array, in chunks of replicates to bound
memory; no Python loop runs over replicates times submissions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.aggregation import (
    KEY_DECIMALS,
    TRIM_MIN_SHEETS,
    SheetDesign,
    _check_values_in_scale,
    _sheet_totals,
    check_method,
    check_scale,
    design_from_totals,
    method_contributions,
    rank_totals,
)

MIN_RESAMPLES = 1000
BOOTSTRAP_COLUMNS: tuple[str, ...] = (
    "score",
    "score_low",
    "score_high",
    "rank",
    "rank_low",
    "rank_high",
    "n_sheets",
)
_CHUNK_ELEMENTS = 4_000_000  # drawn indices per chunk (~32 MB of int64)
_NETWORK_MAX = 16  # median by sorting network up to this many sheets, np.median above


@dataclass(frozen=True)
class BootstrapResult:
    """``table`` is indexed by submission (sorted by rank) with ``BOOTSTRAP_COLUMNS``:
    the point ``score`` and ``rank`` (as ``rank_submissions`` gives them), the score's
    percentile interval ``score_low``/``score_high`` and the rank interval
    ``rank_low``/``rank_high`` (integers; competition ranks, 1 = best). The rank bounds
    never use the tie-break: with ``tie_break`` set, a submission tied on score can have a
    point rank just outside its bootstrap rank interval."""

    table: pd.DataFrame
    warnings: list[str]
    method: str
    n_resamples: int
    score_level: float
    rank_level: float


def bootstrap_ranking(
    values: pd.DataFrame,
    weights: Mapping[str, float],
    scale: tuple[float, float],
    method: str,
    *,
    n_resamples: int = MIN_RESAMPLES,
    seed: int | np.random.Generator | None = None,
    score_level: float = 0.95,
    rank_level: float = 0.90,
    tie_break: str | None = None,
) -> BootstrapResult:
    """Bootstrap intervals for ``method``'s scores and ranks from the raw scores."""
    lo, hi = check_scale(scale)
    if "value" in values.columns:
        _check_values_in_scale(values, lo, hi)
    totals, _ = _sheet_totals(values, weights)
    return bootstrap_totals(
        totals,
        (lo, hi),
        method,
        n_resamples=n_resamples,
        seed=seed,
        score_level=score_level,
        rank_level=rank_level,
        tie_break=tie_break,
    )


def bootstrap_totals(
    totals: pd.DataFrame,
    scale: tuple[float, float],
    method: str,
    *,
    n_resamples: int = MIN_RESAMPLES,
    seed: int | np.random.Generator | None = None,
    score_level: float = 0.95,
    rank_level: float = 0.90,
    tie_break: str | None = None,
) -> BootstrapResult:
    """Like ``bootstrap_ranking`` but from DataFrame[submission, juror, total]."""
    check_method(method)
    if n_resamples < MIN_RESAMPLES:
        raise ValueError(f"n_resamples must be at least {MIN_RESAMPLES}")
    for level in (score_level, rank_level):
        if not 0 < level < 1:
            raise ValueError("interval levels must lie strictly between 0 and 1")
    point = rank_totals(totals, scale, method, tie_break)
    if totals.empty:
        table = pd.DataFrame(columns=list(BOOTSTRAP_COLUMNS), index=point.table.index)
        return BootstrapResult(table, point.warnings, method, n_resamples, score_level, rank_level)

    d = design_from_totals(totals)
    contrib = method_contributions(d, scale, method)
    keys = resample_keys(d, contrib.values, contrib.statistic, n_resamples, seed)
    # Ranked in blocks of replicates so the sort temporaries stay small.
    ranks = np.empty(keys.shape, dtype=np.int32)
    step = max(1, _CHUNK_ELEMENTS // keys.shape[1])
    for lo in range(0, n_resamples, step):
        ranks[lo : lo + step] = competition_ranks(keys[lo : lo + step])

    a, b = (1 - score_level) / 2, (1 - rank_level) / 2
    score_low, score_high = np.quantile(contrib.to_score(keys), [a, 1 - a], axis=0)
    del keys
    interval = pd.DataFrame(
        {
            "score_low": score_low,
            "score_high": score_high,
            # Conservative order statistics keep the rank bounds whole numbers.
            "rank_low": np.quantile(ranks, b, axis=0, method="lower").astype(np.int64),
            "rank_high": np.quantile(ranks, 1 - b, axis=0, method="higher").astype(np.int64),
        },
        index=d.submissions,
    )
    table = point.table[["score", "rank", "n_sheets"]].join(interval)
    table = table[list(BOOTSTRAP_COLUMNS)]

    warnings = list(point.warnings)
    n_single = int((table["n_sheets"] == 1).sum())
    if n_single:
        warnings.append(
            f"{n_single} submission(s) have a single sheet: their score interval has zero "
            "width, which understates their uncertainty"
        )
    return BootstrapResult(table, warnings, method, n_resamples, score_level, rank_level)


def resample_keys(
    d: SheetDesign,
    values: np.ndarray,
    statistic: str,
    n_resamples: int,
    seed: int | np.random.Generator | None,
) -> np.ndarray:
    """(n_resamples, n_submissions) statistic of each submission's resampled sheets."""
    rng = np.random.default_rng(seed)
    order = np.argsort(d.sub, kind="stable")  # sheets grouped by submission
    grouped = np.asarray(values, dtype=float)[order]
    n_i = d.sheets_per_submission()
    start = np.concatenate([[0], np.cumsum(n_i)[:-1]])
    keys = np.empty((n_resamples, d.n_submissions))
    for size in np.unique(n_i):  # few distinct sheet counts: one vectorised draw each
        members = np.flatnonzero(n_i == size)
        base = start[members]
        step = max(1, _CHUNK_ELEMENTS // (len(members) * size))
        for lo in range(0, n_resamples, step):
            hi = min(lo + step, n_resamples)
            # Sheets on the first axis: reductions over it are fast, contiguous passes.
            draw = rng.integers(0, size, size=(size, hi - lo, len(members)))
            draw += base
            keys[lo:hi, members] = sheet_statistic(grouped[draw], statistic)
    return keys


def sheet_statistic(sample: np.ndarray, statistic: str) -> np.ndarray:
    """Statistic over the first axis (the sheets of one submission)."""
    n = sample.shape[0]
    if statistic == "mean":
        return sample.sum(axis=0) / n
    if statistic == "median":
        if n > _NETWORK_MAX:
            return np.median(sample, axis=0)
        ordered = _sorted_slices(sample)
        mid = n // 2
        return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    if statistic == "trimmed":
        if n < TRIM_MIN_SHEETS:
            return sample.sum(axis=0) / n
        return (sample.sum(axis=0) - sample.max(axis=0) - sample.min(axis=0)) / (n - 2)
    raise ValueError(f"unknown statistic {statistic!r}")


def _sorted_slices(sample: np.ndarray) -> list[np.ndarray]:
    """Sort along axis 0 with a bubble-sort network of elementwise min/max.

    For the handful of sheets a submission has this is several times faster than
    np.sort/np.median along an axis, which work one tiny row at a time.
    """
    rows = list(sample)
    n = len(rows)
    for i in range(n):
        for j in range(n - 1 - i):
            a, b = rows[j], rows[j + 1]
            rows[j], rows[j + 1] = np.minimum(a, b), np.maximum(a, b)
    return rows


def competition_ranks(keys: np.ndarray) -> np.ndarray:
    """Row-wise competition ranks (1 = highest key; ties share the best rank).

    Same result as scipy.stats.rankdata(-keys, "min", axis=1), several times faster.
    """
    neg = -np.round(keys, KEY_DECIMALS)
    order = np.argsort(neg, axis=1)
    ordered = np.take_along_axis(neg, order, axis=1)
    n = keys.shape[1]
    new = np.ones(ordered.shape, dtype=bool)
    new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    # Each position takes the rank where its run of equal keys began.
    pos = np.where(new, np.arange(1, n + 1, dtype=np.int64), 0)
    np.maximum.accumulate(pos, axis=1, out=pos)
    ranks = np.empty_like(pos)
    np.put_along_axis(ranks, order, pos, axis=1)
    return ranks
