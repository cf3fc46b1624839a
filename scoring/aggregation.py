"""Turn jurors' score sheets into one score and one rank per submission.

Pure computation (pandas + numpy + scipy, no Django): the caller passes a long DataFrame
with columns ``submission, juror, criterion, value`` (one row per score), the rubric's
``{criterion: weight}`` and its scale ``(min, max)``; or sheet totals already computed
(``rank_totals``), or their encoded design (``rank_design``), so a caller that also needs
agreement and intervals computes the totals once (see ``scoring.standings``).

Every method is expressed the same way: each *sheet* gets one contribution (its total, a
z-score, a severity-adjusted total or Borda points), a submission's contributions are
combined by a statistic (mean, median or trimmed mean), and a monotone map puts the result
on the reported scale. Ranks are computed from the unmapped statistic (the *key*), so
clipping a score to the scale for display never merges two different ranks.

Methods (``METHODS``):

``mean`` / ``median``
    of the submission's sheet totals.
``trimmed``
    mean after dropping one highest and one lowest sheet when there are 5 or more sheets.
``zscore``
    each juror's totals standardised over all their sheets (sample sd, ddof=1; a juror with
    one sheet, or whose totals are all equal, gets z = 0), averaged per submission and
    mapped back as ``grand mean + mean z * pooled within-juror sd``, clipped to the scale.
    The pooled *within-juror* sd is used because z is measured in within-juror sd units;
    the overall sd would re-inflate it with the between-juror severity spread z removed.
``fixed_effects``
    least squares fit of ``total = overall + quality(submission) + severity(juror)`` over
    the unbalanced design (``scoring.fixed_effects``). Score = overall + quality, clipped.
``borda``
    each juror's own ranking of the submissions they scored becomes points: the juror's
    lowest total gets 0, the highest n-1, ties share the average; divided by (n-1) so every
    juror's points lie in [0, 1] whatever their load (a juror with one sheet gives the
    neutral 0.5). Score = mean of the submission's points, in [0, 1] (not the rubric scale).

Ranks: competition ranking on the key rounded to ``KEY_DECIMALS`` (so float noise cannot
split a true tie): 1, 2, 2, 4. ``tie_break="median_then_firsts"`` orders tied keys by
higher median sheet total, then more first places (sheets on which the submission has
its juror's highest total, ties for first included), then ascending submission id,
giving ranks 1..n without ties.

Warnings are ``Notice`` objects (code, params, English message); ``Ranking.warnings`` gives
the English sentences.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from submissions.notices import Notice, listed, messages, plain

from .design_checks import design_notices
from .fixed_effects import FixedEffectsFit, fit_design, fit_fixed_effects
from .totals import (
    KEY_DECIMALS,
    TRIM_MIN_SHEETS,
    SheetDesign,
    check_scale,
    check_values_in_scale,
    describe_totals,
    design_from_totals,
    group_statistic,
    sheet_totals,
    sheet_totals_with_gaps,
)

__all__ = [
    "KEY_DECIMALS",
    "METHODS",
    "TABLE_COLUMNS",
    "TRIM_MIN_SHEETS",
    "Contributions",
    "Ranking",
    "check_method",
    "check_scale",
    "design_from_totals",
    "first_places",
    "fit_fixed_effects",
    "group_statistic",
    "method_contributions",
    "rank_design",
    "rank_keys",
    "rank_submissions",
    "rank_totals",
    "sheet_totals",
]

METHODS: tuple[str, ...] = ("mean", "median", "trimmed", "zscore", "fixed_effects", "borda")
TIE_BREAKS: tuple[str, ...] = ("median_then_firsts",)
TABLE_COLUMNS: tuple[str, ...] = ("score", "rank", "n_sheets", "std", "spread")
ZSCORE_MIN_SHEETS = 5  # zscore: warn below this many sheets per juror
ZERO_SD = 1e-9  # zscore: a juror sd below this fraction of the scale width counts as 0


def check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; valid methods: {', '.join(METHODS)}")


def _check_tie_break(tie_break: str | None) -> None:
    if tie_break is not None and tie_break not in TIE_BREAKS:
        raise ValueError(
            f"unknown tie_break {tie_break!r}; valid: None, {', '.join(map(repr, TIE_BREAKS))}"
        )


# --------------------------------------------------------------------------- contributions


@dataclass(frozen=True)
class Contributions:
    """One number per sheet, how to combine them per submission, and how to report them."""

    design: SheetDesign
    values: np.ndarray  # per sheet, aligned with design.sub
    statistic: str  # "mean" | "median" | "trimmed"
    to_score: Callable[[np.ndarray], np.ndarray]  # monotone, key -> reported score
    notices: list[Notice] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return messages(self.notices)

    def key(self) -> np.ndarray:
        """The per-submission statistic that ranks (unclipped)."""
        d = self.design
        return group_statistic(self.values, d.sub, d.n_submissions, self.statistic)


def method_contributions(
    design: SheetDesign,
    scale: tuple[float, float],
    method: str,
    fit: FixedEffectsFit | None = None,
) -> Contributions:
    """Per-sheet contributions of ``method`` (see the module docstring). ``fit`` is the
    design's fixed-effects fit when the caller already has it."""
    check_method(method)
    lo, hi = check_scale(scale)
    y = design.total
    if method in ("mean", "median", "trimmed"):
        return Contributions(design, y, method, _identity)
    if method == "zscore":
        return _zscore_contributions(design, lo, hi)
    if method == "fixed_effects":
        return _fixed_effects_contributions(design, lo, hi, fit or fit_design(design))
    return _borda_contributions(design)


def _identity(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _unit_interval(x: np.ndarray) -> np.ndarray:
    return np.clip(np.asarray(x, dtype=float), 0.0, 1.0)


def juror_spread(d: SheetDesign, scale_width: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per juror: mean total, sample sd (0 with one sheet) and the usable mask (sd > 0)."""
    m = d.sheets_per_juror()
    mean = np.bincount(d.jur, d.total, minlength=d.n_jurors) / m
    dev = d.total - mean[d.jur]
    ss = np.bincount(d.jur, dev * dev, minlength=d.n_jurors)
    sd = np.sqrt(np.divide(ss, m - 1, out=np.zeros_like(ss), where=m > 1))
    # Equal totals can leave float noise in dev; treat a tiny sd as zero (z = 0).
    return mean, sd, sd > ZERO_SD * scale_width


def _zscore_contributions(d: SheetDesign, lo: float, hi: float) -> Contributions:
    m = d.sheets_per_juror()
    mean, sd, usable = juror_spread(d, hi - lo)
    dev = d.total - mean[d.jur]
    z = np.where(usable[d.jur], dev / np.where(usable, sd, 1.0)[d.jur], 0.0)

    df = (m - 1)[m > 1].sum()
    ss = (sd**2 * np.maximum(m - 1, 0))[m > 1].sum()
    pooled = float(np.sqrt(ss / df)) if df > 0 else 0.0
    grand = float(d.total.mean())

    def to_score(key: np.ndarray) -> np.ndarray:
        return np.clip(grand + np.asarray(key) * pooled, lo, hi)

    few = np.flatnonzero(m < ZSCORE_MIN_SHEETS)
    notices = [
        Notice(
            "zscore_few_sheets",
            f"zscore: juror {d.jurors[j]} has only {m[j]} sheet(s) (fewer than "
            f"{ZSCORE_MIN_SHEETS}); their standardisation is unreliable",
            {"juror": plain(d.jurors[j]), "sheets": int(m[j]), "minimum": ZSCORE_MIN_SHEETS},
        )
        for j in few
    ]
    return Contributions(d, z, "mean", to_score, notices)


def _fixed_effects_contributions(
    d: SheetDesign, lo: float, hi: float, fit: FixedEffectsFit
) -> Contributions:
    quality = fit.quality.to_numpy()
    # Mean of a submission's adjusted totals is exactly its fitted quality (normal eqs).
    adjusted = d.total - fit.severity.to_numpy()[d.jur]
    notices: list[Notice] = []
    if fit.n_components > 1:
        sizes = sorted(d.components.entries_per_component().tolist(), reverse=True)
        notices.append(
            Notice(
                "fixed_effects_disconnected",
                f"fixed_effects: the design splits into {fit.n_components} groups of "
                f"submissions that share no juror (groups of {listed(sizes)} entries). "
                "Nothing in the sheets says whether one group's jurors were harsher than "
                "another's, so each group keeps its own average and fixed_effects compares "
                "groups no better than the plain mean. To compare across groups, rank by "
                "zscore (which assumes every juror read a fair sample of the entries), or "
                "add a few bridge reviews: jurors of one group reading a few entries of "
                "another, which the assignment can add as a top-up.",
                {"groups": fit.n_components, "sizes": sizes},
            )
        )
    single = d.jurors[d.sheets_per_juror() == 1]
    if len(single):
        notices.append(
            Notice(
                "fixed_effects_single_sheet_jurors",
                f"fixed_effects: {len(single)} juror(s) with a single sheet "
                f"({listed(single)}); the fit absorbs such a sheet into the juror's severity, "
                "so it does not move the submission relative to the others",
                {"count": len(single), "jurors": [plain(j) for j in single]},
            )
        )
    clipped = int(((quality < lo) | (quality > hi)).sum())
    if clipped:
        notices.append(
            Notice(
                "fixed_effects_clipped",
                f"fixed_effects: {clipped} adjusted score(s) fell outside the scale and are "
                "shown clipped; ranks use the unclipped values",
                {"count": clipped},
            )
        )

    def to_score(key: np.ndarray) -> np.ndarray:
        return np.clip(key, lo, hi)

    return Contributions(d, adjusted, "mean", to_score, notices)


def _borda_contributions(d: SheetDesign) -> Contributions:
    m = d.sheets_per_juror()
    y = np.round(d.total, KEY_DECIMALS)  # float noise must not split a juror's tie
    ascending = pd.Series(y).groupby(d.jur).rank(method="average").to_numpy()
    load = m[d.jur]
    points = np.where(load > 1, (ascending - 1) / np.maximum(load - 1, 1), 0.5)
    single = d.jurors[m == 1]
    notices = []
    if len(single):
        notices.append(
            Notice(
                "borda_single_sheet_jurors",
                f"borda: {len(single)} juror(s) with a single sheet ({listed(single)}) "
                "rank nothing; their sheet counts as the neutral 0.5",
                {"count": len(single), "jurors": [plain(j) for j in single]},
            )
        )
    return Contributions(d, points, "mean", _unit_interval, notices)


# --------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class Ranking:
    """Result of ``rank_submissions``.

    ``table`` is indexed by submission, sorted by rank, with columns ``score`` (float),
    ``rank`` (int, 1 = best), ``n_sheets`` (int), ``std`` (sample sd of the sheet totals,
    NaN for one sheet) and ``spread`` (max - min of the sheet totals).
    """

    table: pd.DataFrame
    notices: list[Notice]
    method: str
    tie_break: str | None = None

    @property
    def warnings(self) -> list[str]:
        return messages(self.notices)


def rank_submissions(
    values: pd.DataFrame,
    weights: Mapping[str, float],
    scale: tuple[float, float],
    method: str,
    tie_break: str | None = None,
) -> Ranking:
    """Score and rank every submission with ``method`` (one of ``METHODS``)."""
    check_method(method)
    _check_tie_break(tie_break)
    lo, hi = check_scale(scale)
    if "value" in values.columns:
        check_values_in_scale(values, lo, hi)
    totals, n_incomplete = sheet_totals_with_gaps(values, weights)
    ranking = rank_totals(totals, (lo, hi), method, tie_break)
    return Ranking(
        ranking.table, incomplete_notices(n_incomplete) + ranking.notices, method, tie_break
    )


def incomplete_notices(n_incomplete: int) -> list[Notice]:
    if not n_incomplete:
        return []
    return [
        Notice(
            "incomplete_sheets",
            f"{n_incomplete} sheet(s) lack some criteria; their totals average the criteria "
            "present (weights renormalised)",
            {"count": n_incomplete},
        )
    ]


def empty_table() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype=float) for c in TABLE_COLUMNS},
        index=pd.Index([], name="submission"),
    )


NO_SCORES = Notice("no_scores", "no scores yet")


def rank_totals(
    totals: pd.DataFrame,
    scale: tuple[float, float],
    method: str,
    tie_break: str | None = None,
) -> Ranking:
    """Like ``rank_submissions`` but from DataFrame[submission, juror, total]."""
    check_method(method)
    _check_tie_break(tie_break)
    check_scale(scale)
    if totals.empty:
        return Ranking(empty_table(), [NO_SCORES], method, tie_break)
    return rank_design(design_from_totals(totals), scale, method, tie_break)


def rank_design(
    d: SheetDesign,
    scale: tuple[float, float],
    method: str,
    tie_break: str | None = None,
    fit: FixedEffectsFit | None = None,
    contributions: Contributions | None = None,
) -> Ranking:
    """Like ``rank_totals`` from an encoded design (at least one sheet); ``fit`` and
    ``contributions`` may be passed when the caller already computed them."""
    check_method(method)
    _check_tie_break(tie_break)
    contrib = contributions or method_contributions(d, scale, method, fit)
    key = contrib.key()
    table = describe_totals(d)
    table.insert(0, "rank", rank_keys(key, d, tie_break))
    table.insert(0, "score", contrib.to_score(key))
    table = table.iloc[np.lexsort((np.arange(len(table)), table["rank"].to_numpy()))]

    notices = list(contrib.notices)
    n_single = int((table["n_sheets"] == 1).sum())
    if n_single:
        notices.append(
            Notice(
                "single_sheet_submissions",
                f"{n_single} submission(s) have a single sheet: their score rests on one juror",
                {"count": n_single},
            )
        )
    notices.extend(design_notices(d))
    return Ranking(table, notices, method, tie_break)


def rank_keys(key: np.ndarray, d: SheetDesign, tie_break: str | None = None) -> np.ndarray:
    """Ranks (1 = best) of per-submission keys; see the module docstring for ties."""
    _check_tie_break(tie_break)
    k = np.round(np.asarray(key, dtype=float), KEY_DECIMALS)
    if tie_break is None:
        return rankdata(-k, method="min").astype(np.int64)
    median = np.round(group_statistic(d.total, d.sub, d.n_submissions, "median"), KEY_DECIMALS)
    firsts = first_places(d)
    # lexsort: last key is primary; submission codes follow sorted ids.
    order = np.lexsort((np.arange(d.n_submissions), -firsts, -median, -k))
    ranks = np.empty(d.n_submissions, dtype=np.int64)
    ranks[order] = np.arange(1, d.n_submissions + 1)
    return ranks


def first_places(d: SheetDesign) -> np.ndarray:
    """Per submission, on how many sheets it has its juror's highest total (ties count)."""
    y = np.round(d.total, KEY_DECIMALS)
    best = np.full(d.n_jurors, -np.inf)
    np.maximum.at(best, d.jur, y)
    return np.bincount(d.sub, (y == best[d.jur]).astype(float), minlength=d.n_submissions)
