"""The two-way additive model ``total = overall + quality(submission) + severity(juror)``.

Pure (numpy + scipy, no Django). One exact least-squares solver serves the
``fixed_effects`` ranking, the agreement statistics (Henderson's method III variance
components) and the bootstrap, which refits the model on many replicate tables at once:
the juror system is factorised once per design and solved for every replicate together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.linalg import cho_factor, cho_solve
from scipy.sparse.linalg import splu

from .totals import SheetDesign, design_from_totals

_DENSE_JURORS = 3000  # up to this many jurors the juror system is factorised densely


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

    def residuals(self, d: SheetDesign) -> np.ndarray:
        """Per sheet: total minus fitted value."""
        return d.total - self.fitted(d)

    def fitted(self, d: SheetDesign) -> np.ndarray:
        return self.quality.to_numpy()[d.sub] + self.severity.to_numpy()[d.jur]


class FixedEffectsSolver:
    """Exact least squares of the two-way model for one design and many tables of totals.

    The normal equations give ``c_i = mean over i's sheets of (y - b_j)`` for the
    submission levels, and substituting leaves a juror-only system ``L b = r`` with
    ``L = diag(m_j) - N' diag(1/n_i) N`` (N = sheet incidence; L is the Laplacian of the
    jurors-sharing-submissions graph) and ``r_j = sum over j's sheets of (y - ybar_i)``.
    L is singular once per connected component; fixing one juror per component at 0
    makes the reduced system positive definite. It is factorised once (Cholesky, or a
    sparse LU for very large juries), then each component is re-centred.
    """

    def __init__(self, d: SheetDesign) -> None:
        self.d = d
        self.n_i = d.sheets_per_submission().astype(float)
        self.m_j = d.sheets_per_juror().astype(float)
        comp = d.components
        self.comp_jur = comp.of_juror
        inc = d.incidence
        lap = (sparse.diags(self.m_j) - inc.T @ sparse.diags(1.0 / self.n_i) @ inc).tocsc()
        _, grounded = np.unique(comp.of_juror, return_index=True)  # first juror of each
        self.keep = np.ones(d.n_jurors, dtype=bool)
        self.keep[grounded] = False
        reduced = lap[self.keep][:, self.keep]
        self._dense = None
        self._lu = None
        if self.keep.any():
            if reduced.shape[0] <= _DENSE_JURORS:
                self._dense = cho_factor(reduced.toarray())
            else:
                self._lu = splu(reduced.tocsc())
        self.by_component = sparse.csr_matrix(
            (self.m_j, (comp.of_juror, np.arange(d.n_jurors))), shape=(comp.count, d.n_jurors)
        )
        self.component_sheets = np.asarray(self.by_component.sum(axis=1)).ravel()

    def solve(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(quality, severity) for totals ``y`` of shape (sheets,) or (sheets, replicates)."""
        d = self.d
        ys = y if y.ndim == 2 else y[:, None]
        ybar = (d.by_submission @ ys) / self.n_i[:, None]
        r = d.by_juror @ (ys - ybar[d.sub])
        b = np.zeros_like(r)
        if self._dense is not None:
            b[self.keep] = cho_solve(self._dense, r[self.keep])
        elif self._lu is not None:
            b[self.keep] = self._lu.solve(np.ascontiguousarray(r[self.keep]))
        # Sheet-weighted mean-zero severities within each component.
        shift = (self.by_component @ b) / self.component_sheets[:, None]
        b -= shift[self.comp_jur]
        quality = ybar - (d.by_submission @ b[d.jur]) / self.n_i[:, None]
        if y.ndim == 1:
            return quality[:, 0], b[:, 0]
        return quality, b


def fit_fixed_effects(totals: pd.DataFrame) -> FixedEffectsFit:
    """Fit the two-way additive model to DataFrame[submission, juror, total]."""
    return fit_design(design_from_totals(totals))


def fit_design(d: SheetDesign, solver: FixedEffectsSolver | None = None) -> FixedEffectsFit:
    quality, severity = (solver or FixedEffectsSolver(d)).solve(d.total)
    comp = d.components
    resid = d.total - quality[d.sub] - severity[d.jur]
    return FixedEffectsFit(
        quality=pd.Series(quality, index=d.submissions, name="quality"),
        severity=pd.Series(severity, index=d.jurors, name="severity"),
        submission_component=pd.Series(comp.of_submission, index=d.submissions, name="component"),
        juror_component=pd.Series(comp.of_juror, index=d.jurors, name="component"),
        n_components=comp.count,
        residual_ss=float(resid @ resid),
        residual_df=d.n_sheets - d.n_submissions - d.n_jurors + comp.count,
    )


@dataclass(frozen=True)
class VarianceComponents:
    """Henderson's method III on the unbalanced two-way fit (may be negative, like ANOVA
    estimates; ``None`` where the design leaves no residual degrees of freedom).

    With c components: ``error = SSE / (N - n - J + c)``,
    ``submission = (R(sub | juror) - (n - c) error) / (N - J)``,
    ``juror = (R(juror | sub) - (J - c) error) / (N - n)``, R(a | b) being the drop in
    residual sum of squares from adding factor a to a model with b.
    """

    error: float | None
    submission: float | None
    juror: float | None
    residual_df: int


def variance_components(d: SheetDesign, fit: FixedEffectsFit) -> VarianceComponents:
    n, j, big_n = d.n_submissions, d.n_jurors, d.n_sheets
    df_e = fit.residual_df
    if df_e <= 0 or big_n <= max(n, j):
        return VarianceComponents(None, None, None, df_e)
    y = d.total
    c = fit.n_components
    sub_mean = np.bincount(d.sub, y, minlength=n) / d.sheets_per_submission()
    jur_mean = np.bincount(d.jur, y, minlength=j) / d.sheets_per_juror()
    ss_within = float(((y - sub_mean[d.sub]) ** 2).sum())
    sse_jurors_only = float(((y - jur_mean[d.jur]) ** 2).sum())
    s_e = fit.residual_ss / df_e
    s_sub = (sse_jurors_only - fit.residual_ss - (n - c) * s_e) / (big_n - j)
    s_jur = (ss_within - fit.residual_ss - (j - c) * s_e) / (big_n - n)
    return VarianceComponents(float(s_e), float(s_sub), float(s_jur), df_e)
