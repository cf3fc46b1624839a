"""How much the jurors agree: ICC, Kendall's W, per-submission dispersion, per-juror stats.

All functions work on sheet totals, DataFrame[submission, juror, total] (see
``scoring.aggregation.sheet_totals``); submissions are the ICC's *targets*, jurors its
*judges*.

ICC (Shrout & Fleiss 1979): ``ICC1`` one-way random, ``ICC2`` two-way random (absolute
agreement), ``ICC3`` two-way mixed (consistency); the ``k`` forms are the reliability of
the mean of k sheets.

* Complete design (every juror scored every submission): the published mean-square
  formulas with k = number of jurors.
* Incomplete design: ``ICC1``/``ICC1k`` from the one-way ANOVA with unequal group sizes,
  using ``k0 = (N - sum n_i^2 / N) / (n - 1)`` (N sheets, n submissions, n_i sheets of
  submission i). ``ICC2``/``ICC3`` (and k forms) from variance components estimated with
  Henderson's method III on the unbalanced two-way additive fit (the same fit as the
  ``fixed_effects`` ranking): with c connected components,
  ``s_e^2 = SSE / (N - n - J + c)``,
  ``s_sub^2 = (R(sub | juror) - (n - c) s_e^2) / (N - J)``,
  ``s_jur^2 = (R(juror | sub) - (J - c) s_e^2) / (N - n)``,
  where R(a | b) is the drop in residual sum of squares from adding factor a to a model
  with b (N - J and N - n are the traces tr(Z' M Z) for a 0/1 incidence). Then
  ``ICC3 = s_sub^2 / (s_sub^2 + s_e^2)``, ``ICC2 = s_sub^2 / (s_sub^2 + s_jur^2 + s_e^2)``
  and the k forms divide the error terms by k0. On a complete design these equal the
  Shrout & Fleiss values exactly. Like the ANOVA formulas, estimates may be negative.

A form that cannot be computed is ``None`` and ``result["reasons"][form]`` says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import chi2, rankdata

from scoring.aggregation import (
    KEY_DECIMALS,
    FixedEffectsFit,
    SheetDesign,
    _fit_design,
    _sheet_totals,
    check_scale,
    design_from_totals,
)

ICC_FORMS: tuple[str, ...] = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")
DEFAULT_SPREAD_FRACTION = 0.25  # flag a submission when max - min >= 25% of the scale width

REASON_TOO_SMALL = "needs at least 2 jurors and 2 submissions"
REASON_NO_VARIANCE = "the sheet totals have no variance between submissions to compare"
REASON_NO_REPLICATION = "needs at least one submission scored by 2 or more jurors"
REASON_NO_RESIDUAL_DF = (
    "needs more sheets than the two-way fit has parameters (design is too sparse)"
)
REASON_DEGENERATE = "variance estimates are degenerate (denominator <= 0)"


# --------------------------------------------------------------------------- ICC


def icc(totals: pd.DataFrame) -> dict[str, Any]:
    """The six Shrout & Fleiss ICC forms from sheet totals (see the module docstring).

    Returns ``{"ICC1": float | None, ..., "ICC3k": float | None, "reasons": {form: str},
    "design": "complete" | "incomplete", "k": float | None}`` where ``k`` is the number of
    sheets the k forms refer to (number of jurors, or k0 for an incomplete design).
    """
    return _icc_design(design_from_totals(totals))


def icc_from_matrix(matrix: np.ndarray) -> dict[str, float]:
    """Shrout & Fleiss ICCs of a complete targets x judges matrix (rows = submissions).

    Raises ValueError if the matrix is smaller than 2 x 2, has missing values, or all
    targets have equal means and no residual variance (every form undefined).
    """
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2 or min(x.shape) < 2:
        raise ValueError(REASON_TOO_SMALL)
    if not np.isfinite(x).all():
        raise ValueError("the matrix must be complete (no NaN)")
    forms, reasons = _icc_balanced(x)
    if reasons:
        raise ValueError("; ".join(f"{k}: {v}" for k, v in reasons.items()))
    return {k: float(v) for k, v in forms.items() if v is not None}


def _empty_icc(design: str, reason: str) -> dict[str, Any]:
    result: dict[str, Any] = dict.fromkeys(ICC_FORMS)
    result.update(reasons=dict.fromkeys(ICC_FORMS, reason), design=design, k=None)
    return result


def _icc_design(d: SheetDesign, fit: FixedEffectsFit | None = None) -> dict[str, Any]:
    n, j, n_sheets = d.n_submissions, d.n_jurors, len(d.total)
    complete = 0 < n_sheets == n * j
    design = "complete" if complete else "incomplete"
    if n < 2 or j < 2:
        return _empty_icc(design, REASON_TOO_SMALL)
    if complete:
        matrix = np.empty((n, j))
        matrix[d.sub, d.jur] = d.total
        forms, reasons = _icc_balanced(matrix)
        k: float = float(j)
    else:
        forms, reasons, k = _icc_unbalanced(d, fit or _fit_design(d))
    result: dict[str, Any] = dict(forms)
    result.update(reasons=reasons, design=design, k=k)
    return result


def _ratio(num: float, den: float) -> float | None:
    return float(num / den) if den > 0 else None


def _icc_balanced(x: np.ndarray) -> tuple[dict[str, float | None], dict[str, str]]:
    """Shrout & Fleiss (1979) Table 2 formulas for n targets x k judges."""
    n, k = x.shape
    grand = x.mean()
    row, col = x.mean(axis=1), x.mean(axis=0)
    ss_total = ((x - grand) ** 2).sum()
    ss_rows = k * ((row - grand) ** 2).sum()
    ss_cols = n * ((col - grand) ** 2).sum()
    bms = ss_rows / (n - 1)
    wms = (ss_total - ss_rows) / (n * (k - 1))
    jms = ss_cols / (k - 1)
    ems = (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    forms = {
        "ICC1": _ratio(bms - wms, bms + (k - 1) * wms),
        "ICC2": _ratio(bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n),
        "ICC3": _ratio(bms - ems, bms + (k - 1) * ems),
        "ICC1k": _ratio(bms - wms, bms),
        "ICC2k": _ratio(bms - ems, bms + (jms - ems) / n),
        "ICC3k": _ratio(bms - ems, bms),
    }
    reasons = {f: REASON_NO_VARIANCE for f, v in forms.items() if v is None}
    return forms, reasons


def _icc_unbalanced(
    d: SheetDesign, fit: FixedEffectsFit
) -> tuple[dict[str, float | None], dict[str, str], float]:
    n, j = d.n_submissions, d.n_jurors
    y = d.total
    big_n = len(y)
    n_i = d.sheets_per_submission().astype(float)
    m_j = d.sheets_per_juror().astype(float)
    k0 = (big_n - (n_i**2).sum() / big_n) / (n - 1)
    forms: dict[str, float | None] = dict.fromkeys(ICC_FORMS)
    reasons: dict[str, str] = {}

    # One-way ANOVA, submissions as groups.
    sub_mean = np.bincount(d.sub, y, minlength=n) / n_i
    ss_within = float(((y - sub_mean[d.sub]) ** 2).sum())
    ss_between = float((n_i * (sub_mean - y.mean()) ** 2).sum())
    if big_n > n:
        bms, wms = ss_between / (n - 1), ss_within / (big_n - n)
        forms["ICC1"] = _ratio(bms - wms, bms + (k0 - 1) * wms)
        forms["ICC1k"] = _ratio(bms - wms, bms)
        for f in ("ICC1", "ICC1k"):
            if forms[f] is None:
                reasons[f] = REASON_NO_VARIANCE
    else:
        reasons.update(ICC1=REASON_NO_REPLICATION, ICC1k=REASON_NO_REPLICATION)

    # Two-way additive fit, Henderson method III variance components.
    c = fit.n_components
    df_e = fit.residual_df
    if df_e <= 0:
        reasons.update(dict.fromkeys(("ICC2", "ICC3", "ICC2k", "ICC3k"), REASON_NO_RESIDUAL_DF))
        return forms, reasons, float(k0)
    jur_mean = np.bincount(d.jur, y, minlength=j) / m_j
    sse_jurors_only = float(((y - jur_mean[d.jur]) ** 2).sum())
    s_e = fit.residual_ss / df_e
    s_sub = (sse_jurors_only - fit.residual_ss - (n - c) * s_e) / (big_n - j)
    s_jur = (ss_within - fit.residual_ss - (j - c) * s_e) / (big_n - n)
    forms["ICC3"] = _ratio(s_sub, s_sub + s_e)
    forms["ICC2"] = _ratio(s_sub, s_sub + s_jur + s_e)
    forms["ICC3k"] = _ratio(s_sub, s_sub + s_e / k0)
    forms["ICC2k"] = _ratio(s_sub, s_sub + (s_jur + s_e) / k0)
    for f in ("ICC2", "ICC3", "ICC2k", "ICC3k"):
        if forms[f] is None:
            reasons[f] = REASON_DEGENERATE
    return forms, reasons, float(k0)


# --------------------------------------------------------------------------- Kendall's W


def kendalls_w_from_matrix(matrix: np.ndarray) -> float | None:
    """Kendall's W with the tie correction for a complete submissions x jurors matrix.

    Each juror's column is ranked (ties get average ranks);
    ``W = 12 S / (m^2 (n^3 - n) - m sum T)`` with S the sum of squared deviations of the
    rank sums and ``T = sum (t^3 - t)`` over each juror's tie groups.
    None when every juror ties all submissions (W undefined).
    """
    x = np.round(np.asarray(matrix, dtype=float), KEY_DECIMALS)
    n, m = x.shape
    if n < 2 or m < 2:
        raise ValueError(REASON_TOO_SMALL)
    ranks = rankdata(x, method="average", axis=0)
    rank_sums = ranks.sum(axis=1)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    ties = 0.0
    for col in x.T:  # one pass per juror; a complete block has few jurors
        _, t = np.unique(col, return_counts=True)
        ties += float((t**3 - t).sum())
    den = m**2 * (n**3 - n) - m * ties
    return 12 * s / den if den > 0 else None


def kendalls_w(totals: pd.DataFrame) -> dict[str, Any]:
    """Kendall's W on the complete design, or else on the largest complete block.

    The block is searched among the juror sets that score some submission in full: for
    each such set, all submissions scored by every juror of the set; the block with the
    most sheets (jurors x submissions) wins. This is exact for panel designs and a
    heuristic otherwise (the largest biclique problem is NP-hard).

    Returns ``{"W", "chi2", "df", "p_value", "n_jurors", "n_submissions", "jurors",
    "block", "reason"}``; ``block`` is "complete design", "largest complete block" or
    None; with no block of at least 2 jurors x 2 submissions, W is None with a reason.
    p_value is the chi-square approximation ``m (n - 1) W ~ chi2(n - 1)``.
    """
    return _kendall_design(design_from_totals(totals))


def _kendall_design(d: SheetDesign) -> dict[str, Any]:
    result: dict[str, Any] = {
        "W": None,
        "chi2": None,
        "df": None,
        "p_value": None,
        "n_jurors": 0,
        "n_submissions": 0,
        "jurors": [],
        "block": None,
        "reason": None,
    }
    block = largest_complete_block(d)
    if block is None:
        result["reason"] = (
            "no complete block of at least 2 jurors who all scored the same 2 or more submissions"
        )
        return result
    jurors, subs = block
    matrix = _block_matrix(d, jurors, subs)
    w = kendalls_w_from_matrix(matrix)
    n, m = matrix.shape
    result.update(
        n_jurors=m,
        n_submissions=n,
        jurors=d.jurors[jurors].tolist(),
        block="complete design" if m * n == len(d.total) else "largest complete block",
    )
    if w is None:
        result["reason"] = "every juror in the block gave all its submissions the same total"
        return result
    stat = m * (n - 1) * w
    result.update(W=w, chi2=stat, df=n - 1, p_value=float(chi2.sf(stat, n - 1)))
    return result


def largest_complete_block(d: SheetDesign) -> tuple[np.ndarray, np.ndarray] | None:
    """(juror codes, submission codes) of the largest complete block, or None."""
    inc = sparse.csr_matrix(
        (np.ones(len(d.sub)), (d.sub, d.jur)), shape=(d.n_submissions, d.n_jurors)
    )
    # Candidate juror sets = distinct rows of the incidence matrix with >= 2 jurors.
    rows = {tuple(inc.indices[inc.indptr[i] : inc.indptr[i + 1]]) for i in range(inc.shape[0])}
    cand = sorted(r for r in rows if len(r) >= 2)
    if not cand:
        return None
    size = np.array([len(r) for r in cand])
    cand_inc = sparse.csr_matrix(
        (np.ones(size.sum()), np.concatenate(cand), np.concatenate([[0], np.cumsum(size)])),
        shape=(len(cand), d.n_jurors),
    )
    # overlap[i, c] = jurors of candidate c who scored submission i.
    overlap = (inc @ cand_inc.T).tocoo()
    full = overlap.data == size[overlap.col]
    count = np.bincount(overlap.col[full], minlength=len(cand))
    cells = np.where(count >= 2, size * count, 0)
    best = int(np.argmax(cells))  # first of the largest: candidates are sorted, deterministic
    if cells[best] == 0:
        return None
    subs = np.sort(overlap.row[full & (overlap.col == best)])
    return np.asarray(cand[best], dtype=np.int64), subs


def _block_matrix(d: SheetDesign, jurors: np.ndarray, subs: np.ndarray) -> np.ndarray:
    jpos = np.full(d.n_jurors, -1)
    jpos[jurors] = np.arange(len(jurors))
    spos = np.full(d.n_submissions, -1)
    spos[subs] = np.arange(len(subs))
    keep = (jpos[d.jur] >= 0) & (spos[d.sub] >= 0)
    matrix = np.empty((len(subs), len(jurors)))
    matrix[spos[d.sub[keep]], jpos[d.jur[keep]]] = d.total[keep]
    return matrix


# --------------------------------------------------------------------------- dispersion


def submission_dispersion(
    totals: pd.DataFrame, scale: tuple[float, float], threshold: float | None = None
) -> pd.DataFrame:
    """Per submission: n_sheets, mean, std (ddof=1), spread (max - min), flagged.

    ``flagged`` ("needs discussion") when spread >= threshold; the default threshold is
    25% of the scale width. The threshold used is in ``result.attrs["threshold"]``.
    """
    return _dispersion_design(design_from_totals(totals), scale, threshold)


def _dispersion_design(
    d: SheetDesign, scale: tuple[float, float], threshold: float | None
) -> pd.DataFrame:
    lo, hi = check_scale(scale)
    limit = DEFAULT_SPREAD_FRACTION * (hi - lo) if threshold is None else float(threshold)
    g = pd.Series(d.total).groupby(d.sub)
    spread = (g.max() - g.min()).to_numpy()
    out = pd.DataFrame(
        {
            "n_sheets": d.sheets_per_submission(),
            "mean": g.mean().to_numpy(),
            "std": g.std(ddof=1).to_numpy(),
            "spread": spread,
            # Rounded so that float noise (e.g. 7.5 - 5.0000000001) cannot flip the flag.
            "flagged": np.round(spread, KEY_DECIMALS) >= round(limit, KEY_DECIMALS),
        },
        index=d.submissions,
    )
    out.attrs["threshold"] = limit
    return out


def juror_stats(totals: pd.DataFrame) -> pd.DataFrame:
    """Per juror: n_sheets, mean_total, severity (fixed-effects fit; negative = harsh)."""
    d = design_from_totals(totals)
    return _juror_stats_design(d, _fit_design(d))


def _juror_stats_design(d: SheetDesign, fit: FixedEffectsFit) -> pd.DataFrame:
    m = d.sheets_per_juror()
    return pd.DataFrame(
        {
            "n_sheets": m,
            "mean_total": np.bincount(d.jur, d.total, minlength=d.n_jurors) / m,
            "severity": fit.severity.to_numpy(),
        },
        index=d.jurors,
    )


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class AgreementReport:
    icc: dict[str, Any]
    kendall: dict[str, Any]
    submissions: pd.DataFrame  # submission_dispersion
    jurors: pd.DataFrame  # juror_stats


def agreement_report(
    values: pd.DataFrame,
    weights: Mapping[str, float],
    scale: tuple[float, float],
    spread_threshold: float | None = None,
) -> AgreementReport:
    """Everything above from the raw scores, fitting the two-way model once."""
    totals, _ = _sheet_totals(values, weights)
    d = design_from_totals(totals)
    fit = _fit_design(d)
    return AgreementReport(
        icc=_icc_design(d, fit),
        kendall=_kendall_design(d),
        submissions=_dispersion_design(d, scale, spread_threshold),
        jurors=_juror_stats_design(d, fit),
    )
