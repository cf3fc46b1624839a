"""Turn jurors' score sheets into one score and one rank per submission.

Pure computation (pandas + numpy + scipy, no Django): the caller passes a long DataFrame
with columns ``submission, juror, criterion, value`` (one row per score), the rubric's
``{criterion: weight}`` and its scale ``(min, max)``.

Every method is expressed the same way, which keeps the point estimates and the bootstrap
(scoring.uncertainty) in step: each *sheet* gets one contribution (its total, a z-score,
a severity-adjusted total or Borda points), a submission's contributions are combined by a
statistic (mean, median or trimmed mean), and a monotone map puts the result on the
reported scale. Ranks are computed from the unmapped statistic (the *key*), so clipping a
score to the scale for display never merges two different ranks.

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
    the unbalanced design; see ``fit_fixed_effects``. Score = overall + quality, clipped.
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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import spsolve
from scipy.stats import rankdata

METHODS: tuple[str, ...] = ("mean", "median", "trimmed", "zscore", "fixed_effects", "borda")
TIE_BREAKS: tuple[str, ...] = ("median_then_firsts",)
TABLE_COLUMNS: tuple[str, ...] = ("score", "rank", "n_sheets", "std", "spread")
VALUE_COLUMNS: tuple[str, ...] = ("submission", "juror", "criterion", "value")
TRIM_MIN_SHEETS = 5  # trimmed: drop max and min only from this many sheets on
ZSCORE_MIN_SHEETS = 5  # zscore: warn below this many sheets per juror
KEY_DECIMALS = 9  # ranking keys are rounded so float noise cannot break a true tie
_MAX_LISTED = 10  # ids listed in one warning before "and N more"


# --------------------------------------------------------------------------- sheet totals


def sheet_totals(values: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Weighted mean of each sheet's criteria: DataFrame[submission, juror, total].

    A sheet lacking some criteria is averaged over the criteria it has (weights
    renormalised); ``rank_submissions`` warns about such sheets. Raises ValueError on
    missing columns, criteria absent from ``weights``, non-finite values, a criterion
    scored twice on one sheet, or a sheet whose criteria all have weight 0.
    """
    return _sheet_totals(values, weights)[0]


def _sheet_totals(values: pd.DataFrame, weights: Mapping[str, float]) -> tuple[pd.DataFrame, int]:
    """Totals plus the number of sheets missing a positively weighted criterion."""
    missing = [c for c in VALUE_COLUMNS if c not in values.columns]
    if missing:
        raise ValueError(f"values is missing columns {missing}; expected {list(VALUE_COLUMNS)}")
    w = _check_weights(weights)
    if values.empty:
        return pd.DataFrame({"submission": [], "juror": [], "total": []}), 0

    sub, subs = _codes(values["submission"], "submission")
    jur, jurs = _codes(values["juror"], "juror")
    crit, crits = _codes(values["criterion"], "criterion")
    unknown = [c for c in crits if c not in w]
    if unknown:
        raise ValueError(f"criteria not in the rubric's weights: {sorted(map(str, unknown))}")
    v = pd.to_numeric(values["value"], errors="raise").to_numpy(dtype=float)
    if not np.isfinite(v).all():
        raise ValueError("every value must be a finite number (no NaN or inf)")

    # Integer codes instead of a multi-column groupby: this runs once per ranking.
    sheet = sub * len(jurs) + jur
    if pd.Series(sheet * len(crits) + crit).duplicated().any():
        raise ValueError("a criterion is scored more than once on the same sheet")
    wt = np.array([w[c] for c in crits], dtype=float)[crit]
    sheet_code, sheets = pd.factorize(sheet, sort=True)
    wsum = np.bincount(sheet_code, wt)
    if (wsum <= 0).any():
        raise ValueError("a sheet scores only criteria of weight 0: its total is undefined")
    n_pos = np.bincount(sheet_code, (wt > 0).astype(float))
    n_incomplete = int((n_pos < sum(x > 0 for x in w.values())).sum())
    totals = pd.DataFrame(
        {
            "submission": subs.take(sheets // len(jurs)),
            "juror": jurs.take(sheets % len(jurs)),
            "total": np.bincount(sheet_code, wt * v) / wsum,
        }
    )
    return totals, n_incomplete


def _codes(column: pd.Series, name: str) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = pd.factorize(column, sort=True)
    if (codes < 0).any():
        raise ValueError(f"{name} must not be missing (NaN/None)")
    return codes.astype(np.int64), pd.Index(uniques)


def _check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    w = {k: float(x) for k, x in weights.items()}
    if not w:
        raise ValueError("weights is empty")
    if any(not np.isfinite(x) or x < 0 for x in w.values()):
        raise ValueError("weights must be finite and non-negative")
    if sum(w.values()) <= 0:
        raise ValueError("at least one weight must be positive")
    return w


def check_scale(scale: tuple[float, float]) -> tuple[float, float]:
    """Validate ``(min, max)``; returns it as floats."""
    lo, hi = float(scale[0]), float(scale[1])
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"scale must be finite (min, max) with min < max, got {scale!r}")
    return lo, hi


def _check_values_in_scale(values: pd.DataFrame, lo: float, hi: float) -> None:
    v = pd.to_numeric(values["value"], errors="raise").to_numpy(dtype=float)
    outside = int(((v < lo) | (v > hi)).sum())
    if outside:
        raise ValueError(f"{outside} values lie outside the scale [{lo:g}, {hi:g}]")


def check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; valid methods: {', '.join(METHODS)}")


def _check_tie_break(tie_break: str | None) -> None:
    if tie_break is not None and tie_break not in TIE_BREAKS:
        raise ValueError(
            f"unknown tie_break {tie_break!r}; valid: None, {', '.join(map(repr, TIE_BREAKS))}"
        )


# --------------------------------------------------------------------------- design


@dataclass(frozen=True)
class SheetDesign:
    """Sheet totals as integer codes, shared by the scoring modules.

    Codes follow the sorted ids, so everything derived from them (tie-breaks, the grounded
    juror of each component) is independent of the input row order.
    """

    submissions: pd.Index  # id of each submission code
    jurors: pd.Index  # id of each juror code
    sub: np.ndarray  # submission code of each sheet
    jur: np.ndarray  # juror code of each sheet
    total: np.ndarray  # total of each sheet

    @property
    def n_submissions(self) -> int:
        return len(self.submissions)

    @property
    def n_jurors(self) -> int:
        return len(self.jurors)

    def sheets_per_submission(self) -> np.ndarray:
        return np.bincount(self.sub, minlength=self.n_submissions)

    def sheets_per_juror(self) -> np.ndarray:
        return np.bincount(self.jur, minlength=self.n_jurors)


def design_from_totals(totals: pd.DataFrame) -> SheetDesign:
    """Encode DataFrame[submission, juror, total]; one sheet per (submission, juror)."""
    for col in ("submission", "juror", "total"):
        if col not in totals.columns:
            raise ValueError(f"totals is missing column {col!r}")
    if totals.duplicated(["submission", "juror"]).any():
        raise ValueError("a juror has more than one sheet for the same submission")
    y = pd.to_numeric(totals["total"], errors="raise").to_numpy(dtype=float)
    if not np.isfinite(y).all():
        raise ValueError("every total must be finite")
    sub, subs = pd.factorize(totals["submission"], sort=True)
    jur, jurs = pd.factorize(totals["juror"], sort=True)
    return SheetDesign(
        submissions=pd.Index(subs, name="submission"),
        jurors=pd.Index(jurs, name="juror"),
        sub=sub.astype(np.int64),
        jur=jur.astype(np.int64),
        total=y,
    )


def group_statistic(
    values: np.ndarray, groups: np.ndarray, n_groups: int, statistic: str
) -> np.ndarray:
    """Per-group mean, median or trimmed mean; every group 0..n_groups-1 must be present."""
    n = np.bincount(groups, minlength=n_groups)
    s = np.bincount(groups, values, minlength=n_groups)
    if statistic == "mean":
        return s / n
    grouped = pd.Series(values).groupby(groups)
    if statistic == "median":
        return grouped.median().to_numpy()
    if statistic == "trimmed":
        hi = grouped.max().to_numpy()
        lo = grouped.min().to_numpy()
        trim = n >= TRIM_MIN_SHEETS
        # Dividing by n-2 only where trimming applies avoids a 0/0 for tiny groups.
        return np.where(trim, (s - hi - lo) / np.where(trim, n - 2, 1), s / n)
    raise ValueError(f"unknown statistic {statistic!r}")


def _listed(ids: pd.Index | list[object]) -> str:
    ids = list(ids)
    shown = ", ".join(map(str, ids[:_MAX_LISTED]))
    return shown + (f" and {len(ids) - _MAX_LISTED} more" if len(ids) > _MAX_LISTED else "")


# --------------------------------------------------------------------------- fixed effects


@dataclass(frozen=True)
class FixedEffectsFit:
    """Least-squares fit of ``total = overall + quality(submission) + severity(juror)``.

    Identifiability: within each connected component of the design (submissions linked by
    shared jurors) severities have sheet-weighted mean 0, so ``overall`` is the
    component's mean sheet total and quality effects also have sheet-weighted mean 0.
    ``quality`` holds ``overall + quality effect`` (the rubric's scale, not clipped): what
    a juror of average severity would give. Components share no juror, so nothing in the
    data links their levels: each is centred on its own mean, i.e. the fit assumes the
    jurors of every component are, on average, equally severe.
    """

    quality: pd.Series  # by submission: overall + quality effect
    severity: pd.Series  # by juror: negative = harsh
    submission_component: pd.Series  # component id of each submission
    juror_component: pd.Series  # component id of each juror
    n_components: int
    residual_ss: float
    residual_df: int  # sheets - submissions - jurors + components


def fit_fixed_effects(totals: pd.DataFrame) -> FixedEffectsFit:
    """Fit the two-way additive model to DataFrame[submission, juror, total]."""
    return _fit_design(design_from_totals(totals))


def _fit_design(d: SheetDesign) -> FixedEffectsFit:
    quality, severity, comp_sub, comp_jur, n_comp = _solve_fixed_effects(d)
    resid = d.total - quality[d.sub] - severity[d.jur]
    return FixedEffectsFit(
        quality=pd.Series(quality, index=d.submissions, name="quality"),
        severity=pd.Series(severity, index=d.jurors, name="severity"),
        submission_component=pd.Series(comp_sub, index=d.submissions, name="component"),
        juror_component=pd.Series(comp_jur, index=d.jurors, name="component"),
        n_components=n_comp,
        residual_ss=float(resid @ resid),
        residual_df=len(d.total) - d.n_submissions - d.n_jurors + n_comp,
    )


def _solve_fixed_effects(
    d: SheetDesign,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Exact least squares by absorbing the (many) submission effects.

    The normal equations give ``c_i = mean over i's sheets of (y - b_j)`` for the
    submission levels, and substituting leaves a juror-only system ``L b = r`` with
    ``L = diag(m_j) - N' diag(1/n_i) N`` (N = sheet incidence; L is the Laplacian of the
    jurors-sharing-submissions graph) and ``r_j = sum over j's sheets of (y - ybar_i)``.
    L is singular once per connected component; fixing one juror per component at 0
    makes the reduced system positive definite, solved by a sparse direct solver
    (jurors x jurors, small), then each component is re-centred.
    """
    n_sub, n_jur = d.n_submissions, d.n_jurors
    n_i = d.sheets_per_submission().astype(float)
    m_j = d.sheets_per_juror().astype(float)
    ybar = np.bincount(d.sub, d.total, minlength=n_sub) / n_i
    r = np.bincount(d.jur, d.total - ybar[d.sub], minlength=n_jur)

    inc = sparse.csr_matrix(
        (np.ones(len(d.sub)), (d.sub, d.jur)), shape=(n_sub, n_jur), dtype=float
    )
    lap = (sparse.diags(m_j) - inc.T @ sparse.diags(1.0 / n_i) @ inc).tocsr()

    adjacency = sparse.bmat([[None, inc], [inc.T, None]], format="csr")
    n_comp, labels = connected_components(adjacency, directed=False)
    comp_sub, comp_jur = labels[:n_sub], labels[n_sub:]

    b = np.zeros(n_jur)
    _, grounded = np.unique(comp_jur, return_index=True)  # first juror of each component
    keep = np.ones(n_jur, dtype=bool)
    keep[grounded] = False
    if keep.any():
        reduced = lap[keep][:, keep].tocsc()
        b[keep] = np.atleast_1d(spsolve(reduced, r[keep]))

    # Sheet-weighted mean-zero severities within each component.
    shift = np.bincount(comp_jur, m_j * b, minlength=n_comp) / np.bincount(
        comp_jur, m_j, minlength=n_comp
    )
    b -= shift[comp_jur]
    quality = ybar - np.bincount(d.sub, b[d.jur], minlength=n_sub) / n_i
    return quality, b, comp_sub, comp_jur, int(n_comp)


# --------------------------------------------------------------------------- contributions


@dataclass(frozen=True)
class Contributions:
    """One number per sheet, how to combine them per submission, and how to report them."""

    design: SheetDesign
    values: np.ndarray  # per sheet, aligned with design.sub
    statistic: str  # "mean" | "median" | "trimmed"
    to_score: Callable[[np.ndarray], np.ndarray]  # monotone, key -> reported score
    warnings: list[str] = field(default_factory=list)


def method_contributions(
    design: SheetDesign, scale: tuple[float, float], method: str
) -> Contributions:
    """Per-sheet contributions of ``method`` (see the module docstring)."""
    check_method(method)
    lo, hi = check_scale(scale)
    y = design.total
    if method in ("mean", "median", "trimmed"):
        return Contributions(design, y, method, _identity)
    if method == "zscore":
        return _zscore_contributions(design, lo, hi)
    if method == "fixed_effects":
        return _fixed_effects_contributions(design, lo, hi)
    return _borda_contributions(design)


def _identity(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _zscore_contributions(d: SheetDesign, lo: float, hi: float) -> Contributions:
    m = d.sheets_per_juror()
    mean = np.bincount(d.jur, d.total, minlength=d.n_jurors) / m
    dev = d.total - mean[d.jur]
    ss = np.bincount(d.jur, dev * dev, minlength=d.n_jurors)
    sd = np.sqrt(np.divide(ss, m - 1, out=np.zeros_like(ss), where=m > 1))
    # Equal totals can leave float noise in dev; treat a tiny sd as zero (z = 0).
    usable = sd > 1e-9 * (hi - lo)
    z = np.where(usable[d.jur], dev / np.where(usable, sd, 1.0)[d.jur], 0.0)

    df = (m - 1)[m > 1].sum()
    pooled = float(np.sqrt(ss[m > 1].sum() / df)) if df > 0 else 0.0
    grand = float(d.total.mean())

    def to_score(key: np.ndarray) -> np.ndarray:
        return np.clip(grand + np.asarray(key) * pooled, lo, hi)

    few = d.jurors[m < ZSCORE_MIN_SHEETS]
    warnings = [
        f"zscore: juror {j} has only {n} sheet(s) (fewer than {ZSCORE_MIN_SHEETS}); "
        "their standardisation is unreliable"
        for j, n in zip(few, m[m < ZSCORE_MIN_SHEETS], strict=True)
    ]
    return Contributions(d, z, "mean", to_score, warnings)


def _fixed_effects_contributions(d: SheetDesign, lo: float, hi: float) -> Contributions:
    quality, severity, _, _, n_comp = _solve_fixed_effects(d)
    # Mean of a submission's adjusted totals is exactly its fitted quality (normal eqs).
    adjusted = d.total - severity[d.jur]
    warnings = []
    if n_comp > 1:
        warnings.append(
            f"fixed_effects: the design splits into {n_comp} groups of submissions that share "
            "no juror; each group is centred on its own mean, so scores compare across groups "
            "only if their jurors are on average equally severe"
        )
    single = d.jurors[d.sheets_per_juror() == 1]
    if len(single):
        warnings.append(
            f"fixed_effects: {len(single)} juror(s) with a single sheet ({_listed(single)}); "
            "the fit absorbs such a sheet into the juror's severity, so it does not move "
            "the submission relative to the others"
        )
    clipped = int(((quality < lo) | (quality > hi)).sum())
    if clipped:
        warnings.append(
            f"fixed_effects: {clipped} adjusted score(s) fell outside the scale and are "
            "shown clipped; ranks use the unclipped values"
        )

    def to_score(key: np.ndarray) -> np.ndarray:
        return np.clip(key, lo, hi)

    return Contributions(d, adjusted, "mean", to_score, warnings)


def _borda_contributions(d: SheetDesign) -> Contributions:
    m = d.sheets_per_juror()
    y = np.round(d.total, KEY_DECIMALS)  # float noise must not split a juror's tie
    ascending = pd.Series(y).groupby(d.jur).rank(method="average").to_numpy()
    load = m[d.jur]
    points = np.where(load > 1, (ascending - 1) / np.maximum(load - 1, 1), 0.5)
    single = d.jurors[m == 1]
    warnings = []
    if len(single):
        warnings.append(
            f"borda: {len(single)} juror(s) with a single sheet ({_listed(single)}) "
            "rank nothing; their sheet counts as the neutral 0.5"
        )
    return Contributions(d, points, "mean", _identity, warnings)


# --------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class Ranking:
    """Result of ``rank_submissions``.

    ``table`` is indexed by submission, sorted by rank, with columns ``score`` (float),
    ``rank`` (int, 1 = best), ``n_sheets`` (int), ``std`` (sample sd of the sheet totals,
    NaN for one sheet) and ``spread`` (max - min of the sheet totals).
    """

    table: pd.DataFrame
    warnings: list[str]
    method: str
    tie_break: str | None = None


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
        _check_values_in_scale(values, lo, hi)
    totals, n_incomplete = _sheet_totals(values, weights)
    warnings = []
    if n_incomplete:
        warnings.append(
            f"{n_incomplete} sheet(s) lack some criteria; their totals average the criteria "
            "present (weights renormalised)"
        )
    ranking = rank_totals(totals, (lo, hi), method, tie_break)
    return Ranking(ranking.table, warnings + ranking.warnings, method, tie_break)


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
        table = pd.DataFrame(
            {c: pd.Series(dtype=float) for c in TABLE_COLUMNS},
            index=pd.Index([], name="submission"),
        )
        return Ranking(table, ["no scores yet"], method, tie_break)

    d = design_from_totals(totals)
    contrib = method_contributions(d, scale, method)
    key = group_statistic(contrib.values, d.sub, d.n_submissions, contrib.statistic)
    table = describe_totals(d)
    table.insert(0, "rank", rank_keys(key, d, tie_break))
    table.insert(0, "score", contrib.to_score(key))
    table = table.iloc[np.lexsort((np.arange(len(table)), table["rank"].to_numpy()))]

    warnings = list(contrib.warnings)
    n_single = int((table["n_sheets"] == 1).sum())
    if n_single:
        warnings.append(
            f"{n_single} submission(s) have a single sheet: their score rests on one juror"
        )
    return Ranking(table, warnings, method, tie_break)


def describe_totals(d: SheetDesign) -> pd.DataFrame:
    """n_sheets, std (ddof=1) and spread (max - min) of each submission's sheet totals."""
    g = pd.Series(d.total).groupby(d.sub)
    return pd.DataFrame(
        {
            "n_sheets": d.sheets_per_submission(),
            "std": g.std(ddof=1).to_numpy(),
            "spread": (g.max() - g.min()).to_numpy(),
        },
        index=d.submissions,
    )


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
