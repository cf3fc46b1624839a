"""Kendall's W: do the jurors put the same entries in the same order?

Pure (numpy + scipy, no Django). W needs jurors who all read the same entries, so on an
incomplete design it is computed on the largest complete block of jurors x entries, and
that block is always reported with it. Below ``MIN_W_JURORS`` x ``MIN_W_SUBMISSIONS`` the
figure swings between 0 and 1 by chance and is not shown as the round's agreement.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import chi2, rankdata

from .totals import KEY_DECIMALS, SheetDesign, design_from_totals

MIN_W_SUBMISSIONS = 5  # Kendall's W is not reported on a block of fewer entries...
MIN_W_JURORS = 3  # ... or fewer jurors: on 2 x 3 blocks it swings from 0 to 1 by chance
REASON_TOO_SMALL = "needs at least 2 jurors and 2 submissions"


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
    each such set, all submissions scored by every juror of the set; among the blocks of at
    least ``MIN_W_JURORS`` jurors x ``MIN_W_SUBMISSIONS`` entries the one with the most
    sheets wins, else the largest block of any size. This is exact for panel designs and a
    heuristic otherwise (the largest biclique problem is NP-hard).

    Returns ``{"W", "chi2", "df", "p_value", "n_jurors", "n_submissions", "jurors",
    "block", "reportable", "reason", "reason_code"}``: ``n_jurors`` x ``n_submissions``
    is the block W was computed on; ``block`` is "complete design", "largest complete
    block" or None; ``reportable`` is False (with a reason) when the block is smaller than
    the minimum, where W swings between 0 and 1 by chance and must not be shown as the
    round's agreement. p_value is the chi-square approximation
    ``m (n - 1) W ~ chi2(n - 1)``.
    """
    return kendall_from_design(design_from_totals(totals))


def kendall_from_design(d: SheetDesign) -> dict[str, Any]:
    result: dict[str, Any] = {
        "W": None,
        "chi2": None,
        "df": None,
        "p_value": None,
        "n_jurors": 0,
        "n_submissions": 0,
        "jurors": [],
        "block": None,
        "reportable": False,
        "reason": None,
        "reason_code": None,
    }
    block = largest_complete_block(d, MIN_W_JURORS, MIN_W_SUBMISSIONS)
    if block is None:
        block = largest_complete_block(d)
    if block is None:
        result["reason"] = (
            "no complete block of at least 2 jurors who all scored the same 2 or more submissions"
        )
        result["reason_code"] = "no_block"
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
        result["reason_code"] = "all_tied"
        return result
    stat = m * (n - 1) * w
    result.update(W=w, chi2=stat, df=n - 1, p_value=float(chi2.sf(stat, n - 1)))
    if m < MIN_W_JURORS or n < MIN_W_SUBMISSIONS:
        result["reason"] = (
            f"the largest complete block is {m} jurors x {n} entries; Kendall's W is shown "
            f"only for at least {MIN_W_JURORS} jurors who all read the same "
            f"{MIN_W_SUBMISSIONS} entries"
        )
        result["reason_code"] = "block_too_small"
        return result
    result["reportable"] = True
    return result


def largest_complete_block(
    d: SheetDesign, min_jurors: int = 2, min_submissions: int = 2
) -> tuple[np.ndarray, np.ndarray] | None:
    """(juror codes, submission codes) of the largest complete block with at least
    ``min_jurors`` jurors and ``min_submissions`` submissions, or None."""
    inc = d.incidence
    # Candidate juror sets = distinct rows of the incidence matrix with enough jurors.
    rows = {tuple(inc.indices[inc.indptr[i] : inc.indptr[i + 1]]) for i in range(inc.shape[0])}
    cand = sorted(r for r in rows if len(r) >= max(2, min_jurors))
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
    cells = np.where(count >= max(2, min_submissions), size * count, 0)
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
