"""Intervals for scores and ranks, and each entry's chance of making the top N.

Pure (numpy + pandas, no Django). A *model-based bootstrap*: the data are described by the
two-way model ``total = quality(entry) + severity(juror) + error`` (``scoring.fixed_effects``),
and every replicate draws a new table of sheet totals on the same design,

    replicate total = fitted quality + fitted severity + severity draw + error draw,

where the error draw is one of the model's pooled residuals (rescaled by
``sqrt(sheets / residual df)`` so its variance is unbiased), drawn with replacement for
every sheet, and the severity draw is a normal draw per juror with the jurors' estimated
between-juror variance (Henderson's method III, ``VarianceComponents.juror``). The ranking
method is then recomputed in full on the replicate (``scoring.replicates``): fixed effects
refitted, z-scores re-standardised, Borda points re-ranked. A replicate's deviation from
the replicates' average is added to the method's key on the real sheets, so the intervals
are centred on the published score and rank.

For zscore and borda one more term is drawn: they assume each juror read a fair sample of
the entries, so the luck of which entries a juror happened to read moves their results;
each replicate shifts every juror's reference level by a normal draw with the sampling
variance of the mean of that juror's entries (quality variance x (1/load - 1/entries),
over the juror's sd for zscore; 1/12 x the same fraction for Borda points).

What it assumes: errors of one common spread for every juror and entry (pooled
residuals), juror severities that shift all of a juror's totals alike, and a design that
would have been drawn the same way again. Why not resample each entry's own sheets: with
3 to 5 sheets an entry's own spread is a poor estimate and the resampled mean has only
(n - 1)/n of the variance, so such intervals covered the true rank for about 80% of entries
instead of 90% (docs/results.md gives the measured coverage of both).

Rank intervals use the conservative order statistics of the replicates' competition ranks
(whole numbers). An *isolated* entry (read only by jurors who read nothing else,
``scoring.design_checks``) has no comparison with any other entry: its rank interval is
every rank, 1 to n, its score interval the whole scale, and its top-N probability unknown
(NaN).

Vectorised in chunks of replicates (about ``_CHUNK_ELEMENTS`` sheet totals at a time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from submissions.notices import Notice, messages

from .aggregation import (
    Contributions,
    Ranking,
    check_method,
    juror_spread,
    method_contributions,
    rank_design,
    rank_totals,
)
from .design_checks import isolated_mask
from .fixed_effects import FixedEffectsFit, FixedEffectsSolver, fit_design, variance_components
from .replicates import ReplicateKeys, competition_ranks, sheet_statistic
from .totals import (
    SheetDesign,
    check_scale,
    check_values_in_scale,
    design_from_totals,
    sheet_totals_with_gaps,
)

__all__ = [
    "BOOTSTRAP_COLUMNS",
    "MIN_RESAMPLES",
    "BootstrapResult",
    "NoiseModel",
    "bootstrap_design",
    "bootstrap_ranking",
    "bootstrap_totals",
    "competition_ranks",
    "noise_model",
    "sheet_statistic",
]

MIN_RESAMPLES = 1000
BOOTSTRAP_COLUMNS: tuple[str, ...] = (
    "score",
    "score_low",
    "score_high",
    "rank",
    "rank_low",
    "rank_high",
    "n_sheets",
    "isolated",
)
_CHUNK_ELEMENTS = 4_000_000  # replicate totals per chunk (~32 MB of float64)
_LUCK_METHODS = ("zscore", "borda")


@dataclass(frozen=True)
class BootstrapResult:
    """``table`` is indexed by submission (sorted by rank) with ``BOOTSTRAP_COLUMNS``:
    the point ``score`` and ``rank`` (as ``rank_submissions`` gives them), the score's
    percentile interval ``score_low``/``score_high``, the rank interval
    ``rank_low``/``rank_high`` (integers; competition ranks, 1 = best) and ``isolated``.
    The rank bounds never use the tie-break: with ``tie_break`` set, a submission tied on
    score can have a point rank just outside its bootstrap rank interval.

    ``top_probability`` (when ``top_n`` was given) is, per submission, the share of
    replicates in which it ranks ``top_n`` or better (ties at the cut count as in); NaN for
    isolated submissions."""

    table: pd.DataFrame
    notices: list[Notice]
    method: str
    n_resamples: int
    score_level: float
    rank_level: float
    top_n: int | None = None
    top_probability: pd.Series | None = None

    @property
    def warnings(self) -> list[str]:
        return messages(self.notices)


# --------------------------------------------------------------------------- noise model


@dataclass(frozen=True)
class NoiseModel:
    """What a replicate adds to the fitted values (see the module docstring)."""

    fitted: np.ndarray  # per sheet: fitted quality + fitted severity
    residual_pool: np.ndarray  # rescaled residuals drawn with replacement (may be empty)
    error_sd: float  # used as a normal draw when there is no residual pool
    severity_sd: float
    quality_sd: float
    notices: tuple[Notice, ...] = ()

    def draw(self, d: SheetDesign, rng: np.random.Generator, count: int) -> np.ndarray:
        """(sheets x count) replicate totals."""
        if self.residual_pool.size:
            y = self.residual_pool[rng.integers(0, self.residual_pool.size, (d.n_sheets, count))]
        else:
            y = self.error_sd * rng.standard_normal((d.n_sheets, count))
        if self.severity_sd > 0:
            y += (self.severity_sd * rng.standard_normal((d.n_jurors, count)))[d.jur]
        y += self.fitted[:, None]
        return y


def noise_model(d: SheetDesign, fit: FixedEffectsFit) -> NoiseModel:
    vc = variance_components(d, fit)
    fitted = fit.fitted(d)
    if vc.error is None:
        # Too few sheets to separate error from quality and severity: every difference
        # between sheets is treated as error, which can only widen the intervals.
        spread = float(np.std(d.total, ddof=1)) if d.n_sheets > 1 else 0.0
        notice = Notice(
            "noise_not_estimable",
            "the sheets are too few to tell the jurors' disagreement from real differences "
            "between entries, so the intervals treat every difference as disagreement "
            "(they are as wide as the data allow)",
        )
        return NoiseModel(fitted, np.empty(0), spread, 0.0, spread, (notice,))
    pool = fit.residuals(d) * np.sqrt(d.n_sheets / vc.residual_df)
    return NoiseModel(
        fitted,
        pool,
        float(np.sqrt(vc.error)),
        float(np.sqrt(max(vc.juror or 0.0, 0.0))),
        float(np.sqrt(max(vc.submission or 0.0, 0.0))),
    )


def _luck_sd(d: SheetDesign, method: str, noise: NoiseModel, scale_width: float) -> np.ndarray:
    """Per juror: sd of the shift in the juror's reference level from the luck of which
    entries they read (zscore and borda only)."""
    m = d.sheets_per_juror().astype(float)
    fraction = np.clip(1.0 / m - 1.0 / d.n_submissions, 0.0, None)
    if method == "borda":
        return np.sqrt(fraction / 12.0)
    _, sd, usable = juror_spread(d, scale_width)
    return np.where(usable, noise.quality_sd * np.sqrt(fraction) / np.where(usable, sd, 1.0), 0)


# --------------------------------------------------------------------------- bootstrap


def bootstrap_ranking(
    values: pd.DataFrame,
    weights: Mapping[str, float],
    scale: tuple[float, float],
    method: str,
    **options,
) -> BootstrapResult:
    """Bootstrap intervals for ``method``'s scores and ranks from the raw scores; options
    as ``bootstrap_totals``."""
    lo, hi = check_scale(scale)
    if "value" in values.columns:
        check_values_in_scale(values, lo, hi)
    totals, _ = sheet_totals_with_gaps(values, weights)
    return bootstrap_totals(totals, (lo, hi), method, **options)


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
    top_n: int | None = None,
) -> BootstrapResult:
    """Like ``bootstrap_ranking`` but from DataFrame[submission, juror, total]."""
    check_method(method)
    _check_options(n_resamples, score_level, rank_level, top_n)
    if totals.empty:
        point = rank_totals(totals, scale, method, tie_break)
        table = pd.DataFrame(columns=list(BOOTSTRAP_COLUMNS), index=point.table.index)
        return BootstrapResult(
            table, point.notices, method, n_resamples, score_level, rank_level, top_n
        )
    d = design_from_totals(totals)
    return bootstrap_design(
        d,
        scale,
        method,
        n_resamples=n_resamples,
        seed=seed,
        score_level=score_level,
        rank_level=rank_level,
        tie_break=tie_break,
        top_n=top_n,
    )


def _check_options(
    n_resamples: int, score_level: float, rank_level: float, top_n: int | None
) -> None:
    if n_resamples < MIN_RESAMPLES:
        raise ValueError(f"n_resamples must be at least {MIN_RESAMPLES}")
    for level in (score_level, rank_level):
        if not 0 < level < 1:
            raise ValueError("interval levels must lie strictly between 0 and 1")
    if top_n is not None and (isinstance(top_n, bool) or int(top_n) != top_n or top_n < 1):
        raise ValueError("top_n must be a whole number of at least 1")


def bootstrap_design(
    d: SheetDesign,
    scale: tuple[float, float],
    method: str,
    *,
    n_resamples: int = MIN_RESAMPLES,
    seed: int | np.random.Generator | None = None,
    score_level: float = 0.95,
    rank_level: float = 0.90,
    tie_break: str | None = None,
    top_n: int | None = None,
    fit: FixedEffectsFit | None = None,
    solver: FixedEffectsSolver | None = None,
    point: Ranking | None = None,
    contributions: Contributions | None = None,
) -> BootstrapResult:
    """The bootstrap on an encoded design (at least one sheet). The fit, its solver, the
    point ranking and the method's contributions may be passed when already computed."""
    check_method(method)
    _check_options(n_resamples, score_level, rank_level, top_n)
    lo, hi = check_scale(scale)
    solver = solver or FixedEffectsSolver(d)
    fit = fit or fit_design(d, solver)
    contrib = contributions or method_contributions(d, (lo, hi), method, fit)
    point = point or rank_design(d, (lo, hi), method, tie_break, fit, contrib)
    noise = noise_model(d, fit)
    keys = _replicate_keys(d, (lo, hi), method, noise, solver, n_resamples, seed)
    keys += contrib.key()[None, :]  # centred deviations around the published key

    ranks = np.empty(keys.shape, dtype=np.int32)
    step = max(1, _CHUNK_ELEMENTS // keys.shape[1])
    for start in range(0, n_resamples, step):
        ranks[start : start + step] = competition_ranks(keys[start : start + step])
    a, b = (1 - score_level) / 2, (1 - rank_level) / 2
    # The map from key to score is monotone: the score bounds are the mapped key bounds.
    score_low, score_high = contrib.to_score(np.quantile(keys, [a, 1 - a], axis=0))
    del keys
    rank_low = np.quantile(ranks, b, axis=0, method="lower").astype(np.int64)
    rank_high = np.quantile(ranks, 1 - b, axis=0, method="higher").astype(np.int64)
    isolated = isolated_mask(d)
    if isolated.any():
        score_low[isolated], score_high[isolated] = (0.0, 1.0) if method == "borda" else (lo, hi)
        rank_low[isolated], rank_high[isolated] = 1, d.n_submissions
    top_probability = None
    if top_n is not None:
        share = (ranks <= top_n).mean(axis=0)
        share[isolated] = np.nan
        top_probability = pd.Series(share, index=d.submissions, name=f"p_top_{top_n}")
    interval = pd.DataFrame(
        {
            "score_low": score_low,
            "score_high": score_high,
            "rank_low": rank_low,
            "rank_high": rank_high,
            "isolated": isolated,
        },
        index=d.submissions,
    )
    table = point.table[["score", "rank", "n_sheets"]].join(interval)[list(BOOTSTRAP_COLUMNS)]
    if top_probability is not None:
        top_probability = top_probability.reindex(table.index)
    notices = list(point.notices) + list(noise.notices)
    return BootstrapResult(
        table,
        notices,
        point.method,
        n_resamples,
        score_level,
        rank_level,
        top_n,
        top_probability,
    )


def _replicate_keys(
    d: SheetDesign,
    scale: tuple[float, float],
    method: str,
    noise: NoiseModel,
    solver: FixedEffectsSolver,
    n_resamples: int,
    seed: int | np.random.Generator | None,
) -> np.ndarray:
    """(replicates x submissions) deviations of the replicate keys from their average."""
    rng = np.random.default_rng(seed)
    method_keys = ReplicateKeys(d, scale, method, solver)
    luck = _luck_sd(d, method, noise, scale[1] - scale[0]) if method in _LUCK_METHODS else None
    keys = np.empty((n_resamples, d.n_submissions))
    step = max(1, _CHUNK_ELEMENTS // max(d.n_sheets, 1))
    for start in range(0, n_resamples, step):
        count = min(step, n_resamples - start)
        chunk = method_keys.keys(noise.draw(d, rng, count))
        if luck is not None:
            shift = luck[:, None] * rng.standard_normal((d.n_jurors, count))
            chunk -= method_keys.submission_mean(shift[d.jur])
        keys[start : start + count] = chunk.T
    keys -= keys.mean(axis=0)
    return keys
