"""Sheet totals and the design they form: computed once, shared by every scoring module.

Pure (pandas + numpy + scipy, no Django). ``sheet_totals`` turns the long table of scores
(``submission, juror, criterion, value``) into one weighted total per sheet;
``design_from_totals`` encodes those totals as integer codes (a ``SheetDesign``) that the
ranking, the fixed-effects fit, the agreement statistics and the bootstrap all read, so none
of them recomputes the totals, the incidence matrices or the graph's connected components.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

VALUE_COLUMNS: tuple[str, ...] = ("submission", "juror", "criterion", "value")
TOTAL_COLUMNS: tuple[str, ...] = ("submission", "juror", "total")
KEY_DECIMALS = 9  # ranking keys are rounded so float noise cannot break a true tie
TRIM_MIN_SHEETS = 5  # trimmed: drop max and min only from this many sheets on


# --------------------------------------------------------------------------- checks


def check_scale(scale: tuple[float, float]) -> tuple[float, float]:
    """Validate ``(min, max)``; returns it as floats."""
    lo, hi = float(scale[0]), float(scale[1])
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"scale must be finite (min, max) with min < max, got {scale!r}")
    return lo, hi


def check_values_in_scale(values: pd.DataFrame, lo: float, hi: float) -> None:
    v = pd.to_numeric(values["value"], errors="raise").to_numpy(dtype=float)
    outside = int(((v < lo) | (v > hi)).sum())
    if outside:
        raise ValueError(f"{outside} values lie outside the scale [{lo:g}, {hi:g}]")


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    w = {k: float(x) for k, x in weights.items()}
    if not w:
        raise ValueError("weights is empty")
    if any(not np.isfinite(x) or x < 0 for x in w.values()):
        raise ValueError("weights must be finite and non-negative")
    if sum(w.values()) <= 0:
        raise ValueError("at least one weight must be positive")
    return w


def _codes(column: pd.Series, name: str) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = pd.factorize(column, sort=True)
    if (codes < 0).any():
        raise ValueError(f"{name} must not be missing (NaN/None)")
    return codes.astype(np.int64), pd.Index(uniques)


# --------------------------------------------------------------------------- totals


def sheet_totals(values: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Weighted mean of each sheet's criteria: DataFrame[submission, juror, total].

    A sheet lacking some criteria is averaged over the criteria it has (weights
    renormalised); ``rank_submissions`` warns about such sheets. Raises ValueError on
    missing columns, criteria absent from ``weights``, non-finite values, a criterion
    scored twice on one sheet, or a sheet whose criteria all have weight 0.
    """
    return sheet_totals_with_gaps(values, weights)[0]


def sheet_totals_with_gaps(
    values: pd.DataFrame, weights: Mapping[str, float]
) -> tuple[pd.DataFrame, int]:
    """Totals plus the number of sheets missing a positively weighted criterion."""
    missing = [c for c in VALUE_COLUMNS if c not in values.columns]
    if missing:
        raise ValueError(f"values is missing columns {missing}; expected {list(VALUE_COLUMNS)}")
    w = check_weights(weights)
    if values.empty:
        return pd.DataFrame({c: [] for c in TOTAL_COLUMNS}), 0

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


# --------------------------------------------------------------------------- design


@dataclass(frozen=True)
class Components:
    """Connected components of the juror-entry graph (an entry and a juror are linked when
    the juror scored the entry). Component ids are numbered in order of first entry."""

    count: int
    of_submission: np.ndarray  # component of each submission code
    of_juror: np.ndarray  # component of each juror code

    def entries_per_component(self) -> np.ndarray:
        return np.bincount(self.of_submission, minlength=self.count)


@dataclass(frozen=True)
class SheetDesign:
    """Sheet totals as integer codes, shared by the scoring modules.

    Codes follow the sorted ids, so everything derived from them (tie-breaks, the grounded
    juror of each component) is independent of the input row order. The incidence matrices
    and the components are computed on first use and kept.
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

    @property
    def n_sheets(self) -> int:
        return len(self.total)

    def sheets_per_submission(self) -> np.ndarray:
        return np.bincount(self.sub, minlength=self.n_submissions)

    def sheets_per_juror(self) -> np.ndarray:
        return np.bincount(self.jur, minlength=self.n_jurors)

    @cached_property
    def incidence(self) -> sparse.csr_matrix:
        """(submissions x jurors) 0/1 matrix: who scored what."""
        return sparse.csr_matrix(
            (np.ones(self.n_sheets), (self.sub, self.jur)),
            shape=(self.n_submissions, self.n_jurors),
        )

    @cached_property
    def by_submission(self) -> sparse.csr_matrix:
        """(submissions x sheets) 0/1 matrix: sums a per-sheet column per submission."""
        return sparse.csr_matrix(
            (np.ones(self.n_sheets), (self.sub, np.arange(self.n_sheets))),
            shape=(self.n_submissions, self.n_sheets),
        )

    @cached_property
    def by_juror(self) -> sparse.csr_matrix:
        """(jurors x sheets) 0/1 matrix: sums a per-sheet column per juror."""
        return sparse.csr_matrix(
            (np.ones(self.n_sheets), (self.jur, np.arange(self.n_sheets))),
            shape=(self.n_jurors, self.n_sheets),
        )

    @cached_property
    def components(self) -> Components:
        inc = self.incidence
        adjacency = sparse.bmat([[None, inc], [inc.T, None]], format="csr")
        count, labels = connected_components(adjacency, directed=False)
        return Components(int(count), labels[: self.n_submissions], labels[self.n_submissions :])


def design_from_totals(totals: pd.DataFrame) -> SheetDesign:
    """Encode DataFrame[submission, juror, total]; one sheet per (submission, juror)."""
    for col in TOTAL_COLUMNS:
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
