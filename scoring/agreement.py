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

Kendall's W lives in ``scoring.kendall``. What the pages show (``agreement_summary``) leads
with the reliability of the jury's average (ICC2k), reads a value of 0 or below as "no
agreement beyond chance", and shows W only with its block and only on a block of at least
3 jurors x 5 entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .fixed_effects import FixedEffectsFit, fit_design, variance_components
from .kendall import (
    MIN_W_JURORS,
    MIN_W_SUBMISSIONS,
    REASON_TOO_SMALL,
    kendall_from_design,
    kendalls_w,
    kendalls_w_from_matrix,
    largest_complete_block,
)
from .totals import (
    KEY_DECIMALS,
    SheetDesign,
    check_scale,
    design_from_totals,
    sheet_totals,
)

__all__ = [
    "ICC_FORMS",
    "LEVELS",
    "MIN_W_JURORS",
    "MIN_W_SUBMISSIONS",
    "REASON_NO_REPLICATION",
    "REASON_TOO_SMALL",
    "AgreementReport",
    "agreement_from_design",
    "agreement_report",
    "agreement_summary",
    "empty_summary",
    "icc",
    "icc_from_matrix",
    "juror_stats",
    "kendalls_w",
    "kendalls_w_from_matrix",
    "largest_complete_block",
    "lead_reliability",
    "reliability_level",
    "submission_dispersion",
]

ICC_FORMS: tuple[str, ...] = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")
DEFAULT_SPREAD_FRACTION = 0.25  # flag a submission when max - min >= 25% of the scale width

REASON_NO_VARIANCE = "the sheet totals have no variance between submissions to compare"
REASON_NO_REPLICATION = "needs at least one submission scored by 2 or more jurors"
REASON_NO_RESIDUAL_DF = (
    "needs more sheets than the two-way fit has parameters (design is too sparse)"
)
REASON_DEGENERATE = "variance estimates are degenerate (denominator <= 0)"
REASON_CODES = {
    REASON_TOO_SMALL: "too_small",
    REASON_NO_VARIANCE: "no_variance",
    REASON_NO_REPLICATION: "no_replication",
    REASON_NO_RESIDUAL_DF: "too_sparse",
    REASON_DEGENERATE: "degenerate",
}


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
        forms, reasons, k = _icc_unbalanced(d, fit or fit_design(d))
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
    n = d.n_submissions
    y = d.total
    big_n = len(y)
    n_i = d.sheets_per_submission().astype(float)
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
    vc = variance_components(d, fit)
    if vc.error is None:
        reasons.update(dict.fromkeys(("ICC2", "ICC3", "ICC2k", "ICC3k"), REASON_NO_RESIDUAL_DF))
        return forms, reasons, float(k0)
    s_e, s_sub, s_jur = vc.error, vc.submission, vc.juror
    forms["ICC3"] = _ratio(s_sub, s_sub + s_e)
    forms["ICC2"] = _ratio(s_sub, s_sub + s_jur + s_e)
    forms["ICC3k"] = _ratio(s_sub, s_sub + s_e / k0)
    forms["ICC2k"] = _ratio(s_sub, s_sub + (s_jur + s_e) / k0)
    for f in ("ICC2", "ICC3", "ICC2k", "ICC3k"):
        if forms[f] is None:
            reasons[f] = REASON_DEGENERATE
    return forms, reasons, float(k0)


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
    return _juror_stats_design(d, fit_design(d))


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
    d = design_from_totals(sheet_totals(values, weights))
    return agreement_from_design(d, scale, fit_design(d), spread_threshold)


def agreement_from_design(
    d: SheetDesign,
    scale: tuple[float, float],
    fit: FixedEffectsFit,
    spread_threshold: float | None = None,
) -> AgreementReport:
    """``agreement_report`` from an encoded design and its fit, computed by the caller."""
    return AgreementReport(
        icc=_icc_design(d, fit),
        kendall=kendall_from_design(d),
        submissions=_dispersion_design(d, scale, spread_threshold),
        jurors=_juror_stats_design(d, fit),
    )


# --------------------------------------------------------------------------- reading

LEAD_FORMS: tuple[str, ...] = ("ICC2k", "ICC1k")  # the second only when the first is None
LEVELS: dict[str, str] = {
    "none": "no agreement beyond chance",
    "weak": "weak",
    "moderate": "moderate",
    "strong": "strong",
}


def reliability_level(value: float | None) -> str | None:
    """'none' (0 or below: no agreement beyond chance), 'weak' (< 0.5), 'moderate'
    (< 0.75) or 'strong'; None when the value could not be measured."""
    if value is None:
        return None
    if value <= 0:
        return "none"
    return "weak" if value < 0.5 else "moderate" if value < 0.75 else "strong"


def lead_reliability(icc_forms: Mapping[str, float | None]) -> dict[str, Any]:
    """The figure that leads the agreement: the reliability of the jury's average, ICC2k
    (absolute agreement of the mean of k sheets); ICC1k only when ICC2k could not be
    computed at all (never because it is 0). ``{"form", "value", "level"}``."""
    for form in LEAD_FORMS:
        value = icc_forms.get(form)
        if value is not None:
            return {"form": form, "value": float(value), "level": reliability_level(value)}
    return {"form": None, "value": None, "level": None}


def agreement_summary(report: AgreementReport, n_jurors: int, n_submissions: int) -> dict:
    """What the pages and the Board report show: the ICC forms with their reasons, the
    lead figure, and Kendall's W only when its block is large enough, always with it."""
    icc_result, kendall = report.icc, report.kendall
    forms = {form: _finite(icc_result.get(form)) for form in ICC_FORMS}
    reasons = dict(icc_result.get("reasons") or {})
    return {
        "icc": forms,
        "icc_reasons": reasons,
        "icc_reason_codes": {f: REASON_CODES.get(r, "other") for f, r in reasons.items()},
        "icc_design": icc_result.get("design"),
        "lead": lead_reliability(forms),
        "kendall_w": _finite(kendall.get("W")) if kendall.get("reportable") else None,
        "kendall_reason": kendall.get("reason"),
        "kendall_reason_code": kendall.get("reason_code"),
        "kendall_block": kendall.get("block"),
        "kendall_block_jurors": int(kendall.get("n_jurors") or 0),
        "kendall_block_entries": int(kendall.get("n_submissions") or 0),
        "n_jurors": n_jurors,
        "n_submissions": n_submissions,
    }


def empty_summary(reason: str) -> dict:
    return {
        "icc": dict.fromkeys(ICC_FORMS),
        "icc_reasons": dict.fromkeys(ICC_FORMS, reason),
        "icc_reason_codes": dict.fromkeys(ICC_FORMS, "no_sheets"),
        "icc_design": None,
        "lead": lead_reliability({}),
        "kendall_w": None,
        "kendall_reason": reason,
        "kendall_reason_code": "no_sheets",
        "kendall_block": None,
        "kendall_block_jurors": 0,
        "kendall_block_entries": 0,
        "n_jurors": 0,
        "n_submissions": 0,
    }


def _finite(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if np.isfinite(number) else None
