"""Which entries of a round the jury should talk over, and why: the "to discuss" list.

Pure (pandas, no Django). An entry is on the list when its jurors disagree (the standings'
``flagged``: the spread of its sheets reaches the agreement threshold), when its place at the
cut is uncertain (``scoring.cut.cut_table`` on the standings' ``p_top``, once the cut is
known), or when its discussion was already started (a post or a consensus note). Entries
uncertain at the cut come first, closest to even odds first, as the cut table orders them;
then the others by rank; then the discussed entries the ranking does not hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .cut import cut_table

DISAGREEMENT = "disagreement"
UNCERTAIN_AT_CUT = "uncertain_at_cut"
DISCUSSED = "discussed"
REASONS = (UNCERTAIN_AT_CUT, DISAGREEMENT, DISCUSSED)


@dataclass(frozen=True)
class AgendaItem:
    submission: int
    reasons: tuple[str, ...]  # in the order of REASONS
    rank: int | None = None
    p_top: float | None = None
    spread: float | None = None


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def agenda(
    ranking: pd.DataFrame, top_n: int | None = None, discussed: Iterable[int] = ()
) -> list[AgendaItem]:
    """The entries to discuss from the standings' ranking (indexed by submission, with
    ``rank``, ``flagged``, ``spread`` and ``p_top``), the cut at ``top_n`` (None: no cut
    known, so nobody is uncertain at it) and the entries whose discussion has started."""
    discussed = {int(pk) for pk in discussed}
    if ranking.empty:
        order: list = []
        uncertain: set = set()
    elif top_n:
        cut = cut_table(ranking["p_top"], ranking["rank"])
        order = list(cut.index)
        uncertain = set(cut.index[cut["uncertain"].to_numpy()])
    else:
        order = list(ranking.sort_values("rank", kind="stable").index)
        uncertain = set()
    items = []
    for pk in order:
        row = ranking.loc[pk]
        reasons = []
        if pk in uncertain:
            reasons.append(UNCERTAIN_AT_CUT)
        if bool(row["flagged"]):
            reasons.append(DISAGREEMENT)
        if int(pk) in discussed:
            reasons.append(DISCUSSED)
        if reasons:
            items.append(
                AgendaItem(
                    submission=int(pk),
                    reasons=tuple(reasons),
                    rank=None if pd.isna(row["rank"]) else int(row["rank"]),
                    p_top=_number(row["p_top"]) if top_n else None,
                    spread=_number(row["spread"]),
                )
            )
    ranked = {int(pk) for pk in order}
    items.extend(AgendaItem(pk, (DISCUSSED,)) for pk in sorted(discussed - ranked))
    return items
