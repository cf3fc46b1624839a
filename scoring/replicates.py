"""Every ranking method's key on many tables of sheet totals at once (same design).

Pure (numpy + scipy, no Django), used by the bootstrap (``scoring.uncertainty``): a
replicate table is a (sheets x replicates) array aligned with the design's sheets, and
each method is recomputed in full on every column, vectorised: the fixed-effects model is
refitted (one factorisation per design), zscore re-standardises every juror, borda re-ranks
every juror's sheets, median and trimmed re-sort every submission's sheets. No Python loop
runs over replicates or submissions.
"""

from __future__ import annotations

import numpy as np

from .aggregation import ZERO_SD, check_method
from .fixed_effects import FixedEffectsSolver
from .totals import KEY_DECIMALS, TRIM_MIN_SHEETS, SheetDesign

_NETWORK_MAX = 16  # median by sorting network up to this many sheets, np.median above


class ReplicateKeys:
    """``keys(y)`` gives the (submissions x replicates) keys of ``method`` for totals ``y``
    of shape (sheets x replicates)."""

    def __init__(
        self,
        d: SheetDesign,
        scale: tuple[float, float],
        method: str,
        solver: FixedEffectsSolver | None = None,
    ) -> None:
        check_method(method)
        self.d, self.method = d, method
        self.scale_width = float(scale[1]) - float(scale[0])
        self.n_i = d.sheets_per_submission().astype(float)
        self.m_j = d.sheets_per_juror().astype(float)
        self._solver = solver if method == "fixed_effects" else None
        if method == "fixed_effects" and solver is None:
            self._solver = FixedEffectsSolver(d)
        if method in ("median", "trimmed"):
            self._groups = _groups_by_size(d)
        if method == "borda":
            self._lane_position = _position_in_juror(d)

    def keys(self, y: np.ndarray) -> np.ndarray:
        if self.method == "fixed_effects":
            assert self._solver is not None
            return self._solver.solve(y)[0]
        if self.method == "mean":
            return self.submission_mean(y)
        if self.method in ("median", "trimmed"):
            out = np.empty((self.d.n_submissions, y.shape[1]))
            for members, index in self._groups:
                out[members] = sheet_statistic(y[index], self.method)
            return out
        if self.method == "zscore":
            return self.submission_mean(self._zscores(y))
        return self.submission_mean(self._borda_points(y))

    def submission_mean(self, per_sheet: np.ndarray) -> np.ndarray:
        return (self.d.by_submission @ per_sheet) / self.n_i[:, None]

    def _zscores(self, y: np.ndarray) -> np.ndarray:
        d, m = self.d, self.m_j
        mean = (d.by_juror @ y) / m[:, None]
        dev = y - mean[d.jur]
        ss = d.by_juror @ (dev * dev)
        sd = np.sqrt(np.divide(ss, (m - 1)[:, None], out=np.zeros_like(ss), where=m[:, None] > 1))
        usable = sd > ZERO_SD * self.scale_width
        return np.where(usable[d.jur], dev / np.where(usable, sd, 1.0)[d.jur], 0.0)

    def _borda_points(self, y: np.ndarray) -> np.ndarray:
        """Each juror's ascending rank of their sheets / (load - 1); 0.5 for one sheet.

        Sheets are laid out as (juror, replicate, position) lanes and sorted along the
        lanes. To sort values rather than indices (much faster), each total becomes an
        order-preserving int64 whose lowest bits are replaced by the sheet's position in
        its lane; padding sorts last. Totals equal to within those bits are ranked apart by
        position, identically in every replicate, where the bootstrap's centring cancels it.
        """
        d = self.d
        r = y.shape[1]
        width = int(self.m_j.max())
        bits = max(1, (width - 1).bit_length())
        key = np.array(y, dtype=np.float64, order="C").view(np.int64)  # a copy
        key ^= (key >> 63) & np.int64(0x7FFFFFFFFFFFFFFF)  # negative floats: reverse order
        key >>= bits
        key <<= bits
        key |= self._lane_position[:, None]
        lanes = np.empty((d.n_jurors, r, width), dtype=np.int64)
        lanes[...] = ((np.iinfo(np.int64).max >> bits) << bits) + np.arange(width)
        lanes[d.jur, :, self._lane_position] = key
        lanes.sort(axis=-1)
        lanes &= (1 << bits) - 1  # the position of the sheet that sorted there
        ranks = np.empty(lanes.shape, dtype=np.int32)
        np.put_along_axis(ranks, lanes, np.arange(width, dtype=np.int32)[None, None, :], axis=-1)
        ascending = ranks[d.jur, :, self._lane_position].astype(float)
        load = self.m_j[d.jur][:, None]
        return np.where(load > 1, ascending / np.maximum(load - 1, 1), 0.5)


def _groups_by_size(d: SheetDesign) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per distinct sheet count: the submissions with it and the (size x members) sheet
    index of their sheets."""
    order = np.argsort(d.sub, kind="stable")  # sheets grouped by submission
    n_i = d.sheets_per_submission()
    start = np.concatenate([[0], np.cumsum(n_i)[:-1]])
    groups = []
    for size in np.unique(n_i):  # few distinct sheet counts: one vectorised pass each
        members = np.flatnonzero(n_i == size)
        groups.append((members, order[start[members][None, :] + np.arange(size)[:, None]]))
    return groups


def _position_in_juror(d: SheetDesign) -> np.ndarray:
    """Per sheet, its position among its juror's sheets (0-based)."""
    order = np.argsort(d.jur, kind="stable")
    start = np.concatenate([[0], np.cumsum(d.sheets_per_juror())[:-1]])
    position = np.empty(d.n_sheets, dtype=np.int64)
    position[order] = np.arange(d.n_sheets) - start[d.jur[order]]
    return position


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
    """Row-wise competition ranks as int32 (1 = highest key; ties share the best rank).

    Same result as scipy.stats.rankdata(-keys, "min", axis=1), several times faster: one
    argsort per row, then flat gathers and scatters.
    """
    neg = np.round(keys, KEY_DECIMALS)
    np.negative(neg, out=neg)
    rows, n = neg.shape
    order = np.argsort(neg, axis=1)
    order += (np.arange(rows, dtype=order.dtype) * n)[:, None]
    flat = order.ravel()
    ordered = neg.ravel()[flat].reshape(rows, n)
    position = np.broadcast_to(np.arange(1, n + 1, dtype=np.int32), (rows, n))
    tied = ordered[:, 1:] == ordered[:, :-1]
    if tied.any():
        # Each position takes the rank where its run of equal keys began.
        position = np.where(np.pad(tied, ((0, 0), (1, 0))), 0, position)
        np.maximum.accumulate(position, axis=1, out=position)
    ranks = np.empty(rows * n, dtype=np.int32)
    ranks[flat] = position.ravel()
    return ranks.reshape(rows, n)
