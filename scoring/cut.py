"""The shortlist's odds: who is settled at the cut, who is not, and who needs more reviews.

Pure (numpy + pandas, no Django). Inputs come from the bootstrap (``scoring.uncertainty``):
each entry's probability of ranking in the top N (``BootstrapResult.top_probability``, or
the ``p_top`` column of the standings) and its number of sheets. An isolated entry has an
unknown probability (NaN) and counts as the most uncertain.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping

import numpy as np
import pandas as pd

UNCERTAIN_BAND = (0.05, 0.95)  # outside it the bootstrap puts an entry firmly in or out


def cut_table(
    p_top: pd.Series, rank: pd.Series, band: tuple[float, float] = UNCERTAIN_BAND
) -> pd.DataFrame:
    """Entries with ``p_top``, ``rank`` and ``uncertain`` (probability strictly inside
    ``band``, or unknown), the uncertain ones first (closest to even odds first), then the
    others by rank."""
    p = p_top.astype(float)
    frame = pd.DataFrame({"p_top": p, "rank": rank.reindex(p.index)})
    frame["uncertain"] = p.isna() | ((p > band[0]) & (p < band[1]))
    closeness = (p - 0.5).abs().fillna(0.0)
    order = np.lexsort(
        (
            np.arange(len(frame)),
            frame["rank"].to_numpy(),
            np.where(frame["uncertain"], closeness, 1.0),
            ~frame["uncertain"].to_numpy(),
        )
    )
    return frame.iloc[order]


def choose_extra_reviews(
    p_top: pd.Series,
    n_sheets: pd.Series,
    k: int,
    available: Mapping[object, int] | None = None,
) -> dict[object, int]:
    """Where ``k`` more reviews settle the cut best: entry -> number of extra reviews.

    Greedy on the expected gain of each extra review: the entry's uncertainty at the cut,
    ``p (1 - p)`` (0.25 when unknown), times the share by which one more sheet shrinks the
    noise of its score, ``1 - sqrt(n / (n + 1))`` with n its sheets so far (counting the
    extra ones already given). ``available`` caps the extra reviews per entry (jurors free
    of conflicts who have not read it yet). Ties go to the better-ranked order of the
    input, then entry order."""
    if isinstance(k, bool) or int(k) != k or k < 0:
        raise ValueError("k must be a whole number of extra reviews, 0 or more")
    p = p_top.astype(float)
    uncertainty = (p * (1 - p)).fillna(0.25).to_numpy()
    sheets = n_sheets.reindex(p.index).to_numpy(dtype=float)
    if np.isnan(sheets).any():
        raise ValueError("every entry needs its number of sheets")
    cap = np.array(
        [np.inf if available is None else available.get(s, 0) for s in p.index], dtype=float
    )

    def gain(i: int, given: int) -> float:
        n = sheets[i] + given
        return float(uncertainty[i] * (1 - np.sqrt(n / (n + 1))))

    heap = [(-gain(i, 0), i) for i in range(len(p)) if cap[i] > 0 and uncertainty[i] > 0]
    heapq.heapify(heap)
    chosen: dict[object, int] = {}
    for _ in range(int(k)):
        if not heap:
            break
        _, i = heapq.heappop(heap)
        entry = p.index[i]
        chosen[entry] = chosen.get(entry, 0) + 1
        if chosen[entry] < cap[i]:
            heapq.heappush(heap, (-gain(i, chosen[entry]), i))
    return chosen


def shortlist(rank: pd.Series, top_n: int) -> set[object]:
    """Entries ranked ``top_n`` or better (entries tied at the cut go in together)."""
    return set(rank.index[rank.to_numpy() <= top_n])
