"""The assignment solver's plain-words explanations, each a ``Notice`` (code, params, text).

Pure (numpy, no Django). The solver (``jury.assignment``) decides; this module says why a
request cannot be met, why loads cannot be balanced, and what the plan guarantees, in
sentences the secretariat can act on. Pages translate from ``code`` and ``params``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from submissions.notices import Notice

if TYPE_CHECKING:  # the problem module builds its errors from here
    from .assignment_problem import Prepared

LIST_LIMIT = 8  # how many ids to spell out in a message before "and N more"


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural_form or word + 's')}"


def id_list(ids: Sequence[object]) -> str:
    ids = list(ids)
    shown = [str(i) for i in ids[:LIST_LIMIT]]
    if len(ids) > LIST_LIMIT:
        return ", ".join(shown) + f" and {len(ids) - LIST_LIMIT} more"
    if len(shown) <= 2:
        return " and ".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _same_problem(prep: Prepared, rows: np.ndarray) -> str:
    if rows.size <= 1:
        return ""
    others = [prep.sub_ids[x] for x in rows[1:]]
    return f"; same problem for submission{'s' if len(others) > 1 else ''} {id_list(others)}"


def explain_infeasible(prep: Prepared, flow_cut) -> Notice | None:
    """Plain-words reason why no plan exists (ignoring balance), or None if one exists.

    ``flow_cut(prep)`` runs the max flow with no load floor and returns it with its
    minimum cut (``jury.assignment_flow.unbounded_flow_with_cut``)."""
    rows = np.flatnonzero(prep.need > 0)
    no_conflict = prep.free_of_conflict[rows].sum(axis=1)
    with_room = prep.allowed[rows].sum(axis=1)

    short = rows[no_conflict < prep.need[rows]]
    if short.size:
        i = short[0]
        sid, nd, have = prep.sub_ids[i], int(prep.need[i]), int(prep.free_of_conflict[i].sum())
        if prep.existing_per_sub[i]:
            msg = (
                f"submission {sid} already has {plural(int(prep.existing_per_sub[i]), 'juror')}"
                f" and needs {nd} more, but only {plural(have, 'other juror')} "
                f"{'has' if have == 1 else 'have'} no conflict with it"
            )
        else:
            msg = (
                f"submission {sid} has only {plural(have, 'juror')} without a conflict "
                f"({int(prep.target[i])} needed)"
            )
        params = {"submission": sid, "needed": nd, "available": have}
        params["also"] = [prep.sub_ids[x] for x in short[1:]]
        return Notice("too_few_jurors_without_conflict", msg + _same_problem(prep, short), params)

    full = rows[with_room < prep.need[rows]]
    if full.size:
        i = full[0]
        have = int(prep.free_of_conflict[i].sum())
        room = int(prep.allowed[i].sum())
        msg = (
            f"submission {prep.sub_ids[i]} needs {int(prep.need[i])} more "
            f"{'juror' if prep.need[i] == 1 else 'jurors'}: {plural(have, 'juror')} "
            f"{'has' if have == 1 else 'have'} no conflict with it, but only {room} of them "
            f"{'has' if room == 1 else 'have'} room left (the others already have the maximum "
            f"of {prep.m} assignments)"
        )
        params = {
            "submission": prep.sub_ids[i],
            "needed": int(prep.need[i]),
            "without_conflict": have,
            "with_room": room,
            "maximum": prep.m,
            "also": [prep.sub_ids[x] for x in full[1:]],
        }
        return Notice("jurors_full", msg + _same_problem(prep, full), params)

    total_need = prep.total_need
    if total_need == 0:
        return None
    n_s, n_j, k, m = len(prep.sub_ids), len(prep.jur_ids), prep.k, prep.m
    free = int(prep.capacity.sum())
    if total_need > free:
        already = int(prep.existing_load.sum())
        if prep.has_targets:
            msg = (
                f"the requested reviews still number {total_need} (besides the {already} "
                f"already assigned) but {n_j} jurors x max {m} leave only {free} free places"
            )
        elif already == 0:
            msg = (
                f"{n_s} submissions x {k} jurors need {n_s * k} reviews but "
                f"{n_j} jurors x max {m} allow only {n_j * m}"
            )
        else:
            msg = (
                f"{n_s} submissions x {k} jurors still need {total_need} reviews (besides the "
                f"{already} already assigned) but {n_j} jurors x max {m} leave only "
                f"{free} free places"
            )
        if n_j:
            msg += (
                f"; raise the maximum per juror to {math.ceil(prep.total_load / n_j)} or add jurors"
            )
        params = {"needed": total_need, "free": free, "assigned": already, "maximum": m}
        return Notice("not_enough_places", msg, params)

    flow = flow_cut(prep)
    if flow.value >= total_need:
        return None
    return _hall_bottleneck(prep, flow, rows)


def _hall_bottleneck(prep: Prepared, flow, rows: np.ndarray) -> Notice:
    """Submissions on the source side of the minimum cut need more reviews than their
    eligible jurors can give (each juror at most min(room, #shared))."""
    n_j = len(prep.jur_ids)
    reach = np.zeros(flow.jur_base + n_j, dtype=bool)
    reach[flow.reachable] = True
    sub_rows = rows[reach[flow.sub_nodes]]
    need_s = int(prep.need[sub_rows].sum())
    shared = prep.allowed[sub_rows].sum(axis=0)
    give = np.minimum(prep.capacity, shared)
    jur_cols = np.flatnonzero(give > 0)
    can = int(give.sum())
    subs = [prep.sub_ids[i] for i in sub_rows]
    jur_text = ", ".join(
        f"juror {prep.jur_ids[c]}: {plural(int(give[c]), 'place')}" for c in jur_cols[:LIST_LIMIT]
    )
    if jur_cols.size > LIST_LIMIT:
        jur_text += f" and {jur_cols.size - LIST_LIMIT} more jurors"
    msg = (
        f"submissions {id_list(subs)} together still need {need_s} reviews, but the jurors "
        f"without a conflict on them can give only {can}"
    )
    if jur_text:
        msg += f" ({jur_text})"
    msg += "; add jurors for these submissions, raise the maximum or review the conflicts"
    params = {"submissions": subs, "needed": need_s, "available": can}
    return Notice("bottleneck", msg, params)


def existing_elsewhere(kind: str, s: int, j: int) -> Notice:
    if kind == "submission":
        return Notice(
            "existing_unknown_submission",
            f"juror {j} is already assigned to submission {s}, which is not part of this "
            "round; remove that assignment or add the submission before planning",
            {"submission": s, "juror": j},
        )
    return Notice(
        "existing_unknown_juror",
        f"submission {s} is already assigned to juror {j}, who is not in the jury "
        "pool; remove that assignment or add the juror before planning",
        {"submission": s, "juror": j},
    )


def existing_conflicts(pairs: list[tuple[int, int]]) -> Notice:
    text = [f"submission {s} / juror {j}" for s, j in pairs]
    return Notice(
        "existing_conflict",
        "existing assignments have a conflict of interest ("
        + id_list(text)
        + "); remove those assignments before planning",
        {"pairs": [list(p) for p in pairs]},
    )


def existing_over_max(over: list[int], worst: int, m: int) -> Notice:
    one = len(over) == 1
    return Notice(
        "existing_over_maximum",
        f"{'juror' if one else 'jurors'} {id_list(over)} already "
        f"{'has' if one else 'have'} more assignments than the maximum of {m} "
        f"per juror (up to {worst}); remove assignments or raise the maximum",
        {"jurors": over, "maximum": m, "worst": worst},
    )


def preparation_notes(prep: Prepared, n_existing: int) -> list[Notice]:
    notes: list[Notice] = []
    extra = [prep.sub_ids[i] for i in np.flatnonzero(prep.existing_per_sub > prep.target)]
    if extra and not prep.has_targets:
        one = len(extra) == 1
        notes.append(
            Notice(
                "already_over_target",
                f"{plural(len(extra), 'submission')} already {'has' if one else 'have'} "
                f"more than {prep.k} jurors and {'is' if one else 'are'} kept as is: "
                f"{id_list(extra)}",
                {"submissions": extra, "target": prep.k},
            )
        )
    if n_existing:
        notes.append(
            Notice(
                "existing_kept",
                f"{plural(n_existing, 'existing assignment')} kept; "
                f"{plural(prep.total_need, 'review')} still to place",
                {"kept": n_existing, "to_place": prep.total_need},
            )
        )
    return notes


def why_unbalanced(prep: Prepared, lo_bal: int, hi_bal: int) -> str:
    reasons = []
    heavy = [prep.jur_ids[i] for i in np.flatnonzero(prep.existing_load > hi_bal)]
    if heavy:
        one = len(heavy) == 1
        reasons.append(
            f"{'juror' if one else 'jurors'} {id_list(heavy)} already "
            f"{'has' if one else 'have'} more than the even share of {hi_bal}"
        )
    reachable = prep.reach
    light = np.flatnonzero(reachable < lo_bal)
    if light.size:
        ids = [prep.jur_ids[i] for i in light]
        low, high = int(reachable[light].min()), int(reachable[light].max())
        reach = f"{low}" if low == high else f"{low} to {high}"
        reasons.append(
            f"{'juror' if len(ids) == 1 else 'jurors'} {id_list(ids)} can reach only {reach} "
            f"reviews because of conflicts, below the even share of {lo_bal}"
        )
    if not reasons:
        reasons.append(f"the conflicts do not allow every juror {lo_bal} to {hi_bal} reviews")
    return "; ".join(reasons)


def unbalanced_note(
    prep: Prepared, lo_bal: int, hi_bal: int, loads: np.ndarray, ordinary: np.ndarray
) -> Notice:
    """Loads cannot be within one of each other; ``ordinary`` marks the jurors the
    conflicts and existing assignments do not constrain (kept within one)."""
    lo, hi = int(loads.min()), int(loads.max())
    msg = (
        "balanced loads (every juror within 1 of the others) are not possible: "
        + why_unbalanced(prep, lo_bal, hi_bal)
        + f"; the most even plan has loads from {lo} to {hi} (spread {hi - lo})"
    )
    params: dict[str, object] = {"low": lo, "high": hi, "even_share": [lo_bal, hi_bal]}
    if ordinary.any() and not ordinary.all():
        o_lo, o_hi = int(loads[ordinary].min()), int(loads[ordinary].max())
        msg += (
            f"; the other {plural(int(ordinary.sum()), 'juror')} "
            f"{'has' if ordinary.sum() == 1 else 'have'} "
            + (f"{o_lo} each" if o_lo == o_hi else f"{o_lo} to {o_hi} each")
        )
        params["ordinary"] = [o_lo, o_hi]
    return Notice("loads_unbalanced", msg, params)


def expert_floor_note(prep: Prepared, floor: int, capped: list[int]) -> Notice:
    msg = (
        f"every submission gets at least {plural(floor, 'juror')} with the matching "
        "expertise where that many are free of conflicts"
    )
    if capped:
        msg += (
            f"; submissions {id_list(capped)} have fewer such jurors free of conflicts and "
            "get all of them"
        )
    return Notice("expert_floor", msg, {"floor": floor, "capped": capped})
