"""Which comparisons the design allows: isolated entries and bridges between panels.

Pure (numpy, no Django). The sheets link an entry and a juror when the juror scored the
entry; the connected components of that graph (``SheetDesign.components``) are groups of
entries that some chain of shared jurors compares. An entry alone in its component was
read only by jurors who read nothing else: no juror ever set it beside another entry, so
no method can tell where it stands (the score it gets is the level of its own jurors).
Its rank interval is widened to every rank (``scoring.uncertainty``).

When panels share no juror, ``bridge_requests`` names a few reviews that would link them:
entries of every smaller group to be read by jurors of the largest one, which the
assignment solver adds as a top-up (``jury.assignment.top_up_problem``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from submissions.notices import Notice, listed, plain

from .totals import SheetDesign


def isolated_mask(d: SheetDesign) -> np.ndarray:
    """Per submission code: True when no juror who read it read any other entry."""
    if d.n_submissions < 2:
        return np.zeros(d.n_submissions, dtype=bool)
    comp = d.components
    return comp.entries_per_component()[comp.of_submission] == 1


def design_notices(d: SheetDesign) -> list[Notice]:
    isolated = d.submissions[isolated_mask(d)]
    if not len(isolated):
        return []
    return [
        Notice(
            "isolated_submissions",
            f"{len(isolated)} submission(s) ({listed(isolated)}) were read only by jurors who "
            "read nothing else: no juror compared them with another entry, so their place "
            f"cannot be told and their rank interval spans every rank (1 to "
            f"{d.n_submissions}). Ask a juror who read other entries to read them too.",
            {
                "count": len(isolated),
                "submissions": [plain(s) for s in isolated],
                "n_ranked": d.n_submissions,
            },
        )
    ]


@dataclass(frozen=True)
class BridgeRequests:
    """Extra reviews that connect every group of entries to the largest one.

    ``extra`` maps an entry id to the number of extra readers it needs (1 each);
    ``readers`` are the jurors of the largest group, the only ones who bridge.
    """

    extra: dict[object, int]
    readers: frozenset[object]


def bridge_requests(d: SheetDesign, per_group: int = 2) -> BridgeRequests:
    """``per_group`` entries of every group but the largest, each to be read once by a juror
    of the largest group (entries with more sheets first: their extra reader is then
    compared with more of the group's jurors)."""
    if per_group < 1:
        raise ValueError("per_group must be at least 1")
    comp = d.components
    if comp.count < 2:
        return BridgeRequests({}, frozenset())
    sizes = comp.entries_per_component()
    main = int(np.argmax(sizes))  # ties: the first group (lowest entry id)
    n_i = d.sheets_per_submission()
    extra: dict[object, int] = {}
    for group in range(comp.count):
        if group == main:
            continue
        members = np.flatnonzero(comp.of_submission == group)
        for s in members[np.lexsort((members, -n_i[members]))][:per_group]:
            extra[plain(d.submissions[s])] = 1
    readers = frozenset(plain(j) for j in d.jurors[comp.of_juror == main])
    return BridgeRequests(extra, readers)
