"""Exact assignment of submissions to jurors (pure computation, no Django).

The problem is a bipartite transportation problem: every submission must receive exactly
``k`` jurors (existing assignments count), no juror may exceed ``max_per_juror``, conflicted
pairs are forbidden, loads are kept as even as possible, and among those plans the total
preference (e.g. expertise matches) is maximised.

Formulation
-----------
1. The load "band" ``[lo, hi]`` is chosen first.  The balanced band is
   ``[floor(L/J), ceil(L/J)]`` (``L`` = total load after the plan, ``J`` = jurors).  If no plan
   fits in it, the tightest band is ``[lo*, hi*]`` where ``hi*`` is the smallest achievable
   maximum load and ``lo*`` the largest achievable minimum load, each found by binary search
   with max-flow feasibility checks.  Feasible load vectors of a transportation problem form an
   M-convex set, for which both extremes are attained by one plan (Frank & Murota); the code
   still checks this and widens the band exactly if it ever failed.
2. Inside the band, maximise the preference with the network LP
   ``sum_j x[s,j] = need[s]``, ``a[j] <= sum_s x[s,j] <= b[j]``, ``0 <= x <= 1``.  The matrix is
   the incidence matrix of a bipartite graph (totally unimodular), so the vertex HiGHS returns
   (interior point + crossover, dual simplex as fallback) is integral; this is verified.
   To be fast on 600k candidate pairs the LP is solved by column generation: a small
   candidate set (a feasible flow plus the best pairs of each submission) is solved and all
   other pairs are priced with the duals until none has negative reduced cost, which proves
   optimality for the full LP.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

__all__ = [
    "AssignmentPlan",
    "AssignmentProblem",
    "InfeasibleAssignment",
    "greedy_assignment",
    "solve_assignment",
]

# Reduced costs above -_PRICE_TOL (relative to the weight scale) count as non-negative; HiGHS'
# own dual feasibility tolerance is 1e-7, so anything tighter would chase round-off.
_PRICE_TOL = 1e-7
_MAX_PRICING_ROUNDS = 60
_LIST_LIMIT = 8
# Initial candidates per submission = this x (k + 1) best pairs; pricing adds the rest.
_CANDIDATES_PER_NEED = 4  # how many ids to spell out in a message before "and N more"


@dataclass(frozen=True)
class AssignmentProblem:
    submissions: Sequence[int]
    jurors: Sequence[int]
    reviewers_per_submission: int
    max_per_juror: int
    conflicts: frozenset[tuple[int, int]] = frozenset()  # (submission, juror)
    existing: frozenset[tuple[int, int]] = frozenset()  # (submission, juror) kept as they are
    # (submission, juror) -> bonus, e.g. 1.0 for an expertise match
    preference: Mapping[tuple[int, int], float] = field(default_factory=dict)


@dataclass(frozen=True)
class AssignmentPlan:
    new_pairs: list[tuple[int, int]]  # pairs to add, sorted
    all_pairs: list[tuple[int, int]]  # existing + new, sorted
    loads: dict[int, int]  # juror -> total load after the plan
    expertise_matches: int  # pairs in all_pairs with preference > 0
    objective: float  # total preference of all_pairs
    balanced: bool  # max load - min load <= 1
    notes: list[str]


class InfeasibleAssignment(ValueError):
    """No plan satisfies the rules; the message explains why in plain words."""


# --------------------------------------------------------------------------- preparation


@dataclass
class _Prepared:
    problem: AssignmentProblem
    sub_ids: list[int]  # sorted
    jur_ids: list[int]  # sorted
    k: int
    m: int
    existing_per_sub: np.ndarray  # (S,)
    existing_load: np.ndarray  # (J,)
    need: np.ndarray  # (S,) reviews still to place per submission
    capacity: np.ndarray  # (J,) free places per juror
    free_of_conflict: np.ndarray  # (S, J) not conflicted and not already assigned
    allowed: np.ndarray  # (S, J) free_of_conflict, submission needs more, juror has room
    weight: np.ndarray  # (S, J) preference
    notes: list[str]

    @property
    def total_need(self) -> int:
        return int(self.need.sum())

    @property
    def total_load(self) -> int:
        return int(self.existing_load.sum()) + self.total_need


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _id_list(ids: Sequence[int]) -> str:
    ids = list(ids)
    shown = [str(i) for i in ids[:_LIST_LIMIT]]
    if len(ids) > _LIST_LIMIT:
        return ", ".join(shown) + f" and {len(ids) - _LIST_LIMIT} more"
    if len(shown) <= 2:
        return " and ".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _prepare(problem: AssignmentProblem) -> _Prepared:
    k, m = problem.reviewers_per_submission, problem.max_per_juror
    for name, value in (("reviewers_per_submission", k), ("max_per_juror", m)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
    k, m = int(k), int(m)
    # Sorting once makes every later tie (candidate order, LP column order) follow id order,
    # so the plan does not depend on how the caller ordered its sequences or sets.
    sub_ids, jur_ids = sorted(problem.submissions), sorted(problem.jurors)
    for label, ids in (("submission", sub_ids), ("juror", jur_ids)):
        dupes = sorted({a for a, b in pairwise(ids) if a == b})
        if dupes:
            raise ValueError(f"{label} ids are listed more than once: {_id_list(dupes)}")
    s_index = {s: i for i, s in enumerate(sub_ids)}
    j_index = {j: i for i, j in enumerate(jur_ids)}
    n_s, n_j = len(sub_ids), len(jur_ids)

    conflicted = np.zeros((n_s, n_j), dtype=bool)
    for s, j in problem.conflicts:
        # Conflicts about people/submissions outside this round are irrelevant here.
        if s in s_index and j in j_index:
            conflicted[s_index[s], j_index[j]] = True

    assigned = np.zeros((n_s, n_j), dtype=bool)
    for s, j in sorted(problem.existing):
        if s not in s_index:
            raise InfeasibleAssignment(
                f"juror {j} is already assigned to submission {s}, which is not part of this "
                "round; remove that assignment or add the submission before planning"
            )
        if j not in j_index:
            raise InfeasibleAssignment(
                f"submission {s} is already assigned to juror {j}, who is not in the jury "
                "pool; remove that assignment or add the juror before planning"
            )
        assigned[s_index[s], j_index[j]] = True
    bad = np.argwhere(assigned & conflicted)
    if bad.size:
        pairs = [f"submission {sub_ids[a]} / juror {jur_ids[b]}" for a, b in bad]
        raise InfeasibleAssignment(
            "existing assignments have a conflict of interest ("
            + _id_list(pairs)
            + "); remove those assignments before planning"
        )

    existing_per_sub = assigned.sum(axis=1).astype(np.int64)
    existing_load = assigned.sum(axis=0).astype(np.int64)
    over = [jur_ids[i] for i in np.flatnonzero(existing_load > m)]
    if over:
        worst = int(existing_load.max())
        raise InfeasibleAssignment(
            f"{'juror' if len(over) == 1 else 'jurors'} {_id_list(over)} already "
            f"{'has' if len(over) == 1 else 'have'} more assignments than the maximum of {m} "
            f"per juror (up to {worst}); remove assignments or raise the maximum"
        )

    weight = np.zeros((n_s, n_j), dtype=np.float64)
    for (s, j), w in problem.preference.items():
        if s in s_index and j in j_index:
            w = float(w)
            if not math.isfinite(w):
                raise ValueError(f"preference for submission {s} / juror {j} is not finite")
            weight[s_index[s], j_index[j]] = w

    need = np.maximum(0, k - existing_per_sub)
    capacity = m - existing_load
    free_of_conflict = ~conflicted & ~assigned
    allowed = free_of_conflict & (need > 0)[:, None] & (capacity > 0)[None, :]

    notes: list[str] = []
    extra = [sub_ids[i] for i in np.flatnonzero(existing_per_sub > k)]
    if extra:
        notes.append(
            f"{_plural(len(extra), 'submission')} already {'has' if len(extra) == 1 else 'have'} "
            f"more than {k} jurors and {'is' if len(extra) == 1 else 'are'} kept as is: "
            f"{_id_list(extra)}"
        )
    if problem.existing:
        notes.append(
            f"{_plural(len(problem.existing), 'existing assignment')} kept; "
            f"{_plural(int(need.sum()), 'review')} still to place"
        )
    return _Prepared(
        problem=problem,
        sub_ids=sub_ids,
        jur_ids=jur_ids,
        k=k,
        m=m,
        existing_per_sub=existing_per_sub,
        existing_load=existing_load,
        need=need,
        capacity=capacity,
        free_of_conflict=free_of_conflict,
        allowed=allowed,
        weight=weight,
        notes=notes,
    )


# --------------------------------------------------------------------------- max flow


@dataclass
class _Flow:
    value: int
    edge_flow: np.ndarray  # flow on each submission->juror edge of ``edges``
    reachable: np.ndarray  # nodes reachable from the source in the residual graph
    sub_nodes: np.ndarray  # node id of each submission row (only rows that need reviews)
    jur_base: int


def _run_max_flow(
    n_nodes: int, tails: np.ndarray, heads: np.ndarray, caps: np.ndarray, source: int, sink: int
) -> tuple[int, sp.csr_matrix, sp.csr_matrix]:
    keep = caps > 0
    cap = sp.csr_matrix(
        (caps[keep].astype(np.int32), (tails[keep], heads[keep])), shape=(n_nodes, n_nodes)
    )
    res = maximum_flow(cap, source, sink)
    return int(res.flow_value), cap, res.flow.tocsr()


def _band_flow(
    prep: _Prepared, a: np.ndarray, b: np.ndarray, want_cut: bool = False
) -> _Flow | None:
    """Feasible flow with juror new-load bounds a <= load <= b, or None.

    Lower bounds use the textbook circulation transform: super source SS / super sink TT,
    an edge t -> s closing the circulation, and the mandatory parts routed through SS/TT.
    """
    if np.any(b < a) or np.any(b < 0):
        return None
    rows = np.flatnonzero(prep.need > 0)
    n_rows, n_j = rows.size, len(prep.jur_ids)
    src, snk, ss, tt = 0, 1, 2, 3
    sub_nodes = 4 + np.arange(n_rows)
    jur_base = 4 + n_rows
    n_nodes = jur_base + n_j
    total = int(prep.need.sum())
    lower = int(a.sum())
    er, ec = np.nonzero(prep.allowed[rows] & (b > 0)[None, :])
    tails = [
        np.full(n_rows, ss),
        np.array([src]),
        sub_nodes[er],
        jur_base + np.arange(n_j),
        np.array([ss]),
        jur_base + np.arange(n_j),
        np.array([snk]),
    ]
    heads = [
        sub_nodes,
        np.array([tt]),
        jur_base + ec,
        np.full(n_j, snk),
        np.array([snk]),
        np.full(n_j, tt),
        np.array([src]),
    ]
    caps = [
        prep.need[rows],
        np.array([total]),
        np.ones(er.size, dtype=np.int64),
        b - a,
        np.array([lower]),
        a,
        np.array([total]),
    ]
    t_arr = np.concatenate(tails).astype(np.int64)
    h_arr = np.concatenate(heads).astype(np.int64)
    c_arr = np.concatenate(caps).astype(np.int64)
    value, cap, flow = _run_max_flow(n_nodes, t_arr, h_arr, c_arr, ss, tt)
    if value < total + lower and not want_cut:
        return None
    edge_flow = np.zeros(prep.allowed.shape, dtype=bool)
    if er.size:
        f = np.asarray(flow[sub_nodes[er], jur_base + ec]).ravel()
        edge_flow[rows[er[f > 0]], ec[f > 0]] = True
    reachable = np.zeros(0, dtype=np.int64)
    if want_cut:
        residual = (cap - flow).tocsr()
        residual.data[residual.data < 0] = 0
        residual.eliminate_zeros()
        reachable = breadth_first_order(residual, ss, directed=True, return_predecessors=False)
    return _Flow(value, edge_flow, reachable, sub_nodes, jur_base)


# --------------------------------------------------------------------------- diagnosis


def _explain_infeasible(prep: _Prepared) -> str | None:
    """Plain-words reason why no plan exists (ignoring balance), or None if one exists."""
    k, m = prep.k, prep.m
    rows = np.flatnonzero(prep.need > 0)
    no_conflict = prep.free_of_conflict[rows].sum(axis=1)
    with_room = prep.allowed[rows].sum(axis=1)

    short = rows[no_conflict < prep.need[rows]]
    if short.size:
        i = short[0]
        sid, nd, have = prep.sub_ids[i], int(prep.need[i]), int(prep.free_of_conflict[i].sum())
        if prep.existing_per_sub[i]:
            msg = (
                f"submission {sid} already has {_plural(int(prep.existing_per_sub[i]), 'juror')}"
                f" and needs {nd} more, but only {_plural(have, 'other juror')} "
                f"{'has' if have == 1 else 'have'} no conflict with it"
            )
        else:
            msg = (
                f"submission {sid} has only {_plural(have, 'juror')} without a conflict "
                f"({k} needed)"
            )
        if short.size > 1:
            others = [prep.sub_ids[x] for x in short[1:]]
            msg += f"; same problem for submission{'s' if len(others) > 1 else ''} "
            msg += _id_list(others)
        return msg

    full = rows[with_room < prep.need[rows]]
    if full.size:
        i = full[0]
        have = int(prep.free_of_conflict[i].sum())
        room = int(prep.allowed[i].sum())
        msg = (
            f"submission {prep.sub_ids[i]} needs {int(prep.need[i])} more "
            f"{'juror' if prep.need[i] == 1 else 'jurors'}: {_plural(have, 'juror')} "
            f"{'has' if have == 1 else 'have'} no conflict with it, but only {room} of them "
            f"{'has' if room == 1 else 'have'} room left (the others already have the maximum "
            f"of {m} assignments)"
        )
        if full.size > 1:
            others = [prep.sub_ids[x] for x in full[1:]]
            msg += f"; same problem for submission{'s' if len(others) > 1 else ''} "
            msg += _id_list(others)
        return msg

    n_s, n_j = len(prep.sub_ids), len(prep.jur_ids)
    total_need = prep.total_need
    if total_need == 0:
        return None
    free = int(prep.capacity.sum())
    if total_need > free:
        already = int(prep.existing_load.sum())
        if already == 0:
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
        return msg

    flow = _band_flow(prep, np.zeros(n_j, dtype=np.int64), prep.capacity.copy(), want_cut=True)
    assert flow is not None
    if flow.value >= total_need:
        return None
    # Hall-type bottleneck: submissions on the source side of the minimum cut need more
    # reviews than their eligible jurors can give (each juror at most min(room, #shared)).
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
        f"juror {prep.jur_ids[c]}: {_plural(int(give[c]), 'place')}" for c in jur_cols[:_LIST_LIMIT]
    )
    if jur_cols.size > _LIST_LIMIT:
        jur_text += f" and {jur_cols.size - _LIST_LIMIT} more jurors"
    msg = (
        f"submissions {_id_list(subs)} together still need {need_s} reviews, but the jurors "
        f"without a conflict on them can give only {can}"
    )
    if jur_text:
        msg += f" ({jur_text})"
    return msg + "; add jurors for these submissions, raise the maximum or review the conflicts"


# --------------------------------------------------------------------------- balance band


def _bounds_for_band(prep: _Prepared, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    a = np.maximum(0, lo - prep.existing_load)
    b = np.minimum(hi, prep.m) - prep.existing_load
    return a, b


def _choose_band(prep: _Prepared) -> tuple[list[tuple[int, int, _Flow]], list[str]]:
    """Tightest load bands [lo, hi] that admit a plan (normally exactly one), each with a
    feasible flow, plus notes for the secretariat."""
    n_j = len(prep.jur_ids)
    total = prep.total_load
    lo_bal, hi_bal = total // n_j, -(-total // n_j)
    flow = _band_flow(prep, *_bounds_for_band(prep, lo_bal, hi_bal))
    if flow is not None:
        return [(lo_bal, hi_bal, flow)], []

    # Smallest achievable maximum load: feasibility is monotone in the cap.
    lo_h, hi_h = max(hi_bal, int(prep.existing_load.max())), prep.m
    while lo_h < hi_h:
        mid = (lo_h + hi_h) // 2
        if _band_flow(prep, *_bounds_for_band(prep, 0, mid)) is not None:
            hi_h = mid
        else:
            lo_h = mid + 1
    hi_star = hi_h
    # Largest achievable minimum load: monotone as well.
    lo_l, hi_l = int(prep.existing_load.min()), lo_bal
    while lo_l < hi_l:
        mid = (lo_l + hi_l + 1) // 2
        if _band_flow(prep, *_bounds_for_band(prep, mid, prep.m)) is not None:
            lo_l = mid
        else:
            hi_l = mid - 1
    lo_star = lo_l

    # Both extremes are attained together for M-convex load sets (Frank & Murota); should that
    # ever fail, widen the band one step at a time and keep every band of the minimal width.
    bands: list[tuple[int, int, _Flow]] = []
    spread = hi_star - lo_star
    while not bands:
        for lo in range(lo_star, hi_star - spread - 1, -1):
            flow = _band_flow(prep, *_bounds_for_band(prep, lo, lo + spread))
            if flow is not None:
                bands.append((lo, lo + spread, flow))
        spread += 1
    lo, hi, _ = bands[0]
    notes = [
        "balanced loads (every juror within 1 of the others) are not possible: "
        + _why_unbalanced(prep, lo_bal, hi_bal)
        + f"; the most even plan has loads from {lo} to {hi} (spread {hi - lo})"
    ]
    return bands, notes


def _why_unbalanced(prep: _Prepared, lo_bal: int, hi_bal: int) -> str:
    reasons = []
    heavy = [prep.jur_ids[i] for i in np.flatnonzero(prep.existing_load > hi_bal)]
    if heavy:
        reasons.append(
            f"{'juror' if len(heavy) == 1 else 'jurors'} {_id_list(heavy)} already "
            f"{'has' if len(heavy) == 1 else 'have'} more than the even share of {hi_bal}"
        )
    reachable = prep.existing_load + np.minimum(prep.capacity, prep.allowed.sum(axis=0))
    light = np.flatnonzero(reachable < lo_bal)
    if light.size:
        ids = [prep.jur_ids[i] for i in light]
        low, high = int(reachable[light].min()), int(reachable[light].max())
        reach = f"{low}" if low == high else f"{low} to {high}"
        reasons.append(
            f"{'juror' if len(ids) == 1 else 'jurors'} {_id_list(ids)} can reach only {reach} "
            f"reviews because of conflicts, below the even share of {lo_bal}"
        )
    if not reasons:
        reasons.append(f"the conflicts do not allow every juror {lo_bal} to {hi_bal} reviews")
    return "; ".join(reasons)


# --------------------------------------------------------------------------- LP


def _initial_columns(prep: _Prepared, rows: np.ndarray, feasible: np.ndarray) -> np.ndarray:
    """Candidate pairs: a feasible flow (keeps the restricted LP feasible) plus each
    submission's best pairs.  Equal weights are spread by rotating the juror order per
    submission, so candidates do not all pile onto the lowest juror ids."""
    n_j = len(prep.jur_ids)
    allowed = prep.allowed[rows]
    top = min(n_j, _CANDIDATES_PER_NEED * (prep.k + 1))
    rotation = (np.arange(n_j)[None, :] - (rows[:, None] * n_j) // max(1, len(prep.sub_ids))) % n_j
    key = np.where(allowed, -prep.weight[rows], np.inf)
    # lexsort by (weight desc, rotation) = sort by key then rotation
    order = np.lexsort((rotation, key), axis=1)[:, :top]
    cand = np.zeros_like(allowed)
    np.put_along_axis(cand, order, True, axis=1)
    return (cand & allowed) | feasible[rows]


def _solve_lp(prep: _Prepared, a: np.ndarray, b: np.ndarray, feasible: np.ndarray) -> np.ndarray:
    """Maximum-preference 0/1 plan inside the band; returns a (S, J) bool matrix of new pairs."""
    rows = np.flatnonzero(prep.need > 0)
    n_rows, n_j = rows.size, len(prep.jur_ids)
    allowed = prep.allowed[rows]
    cost_full = -prep.weight[rows]
    scale = max(1.0, float(np.abs(cost_full[allowed]).max(initial=0.0)))
    cand = _initial_columns(prep, rows, feasible)
    result = np.zeros(prep.allowed.shape, dtype=bool)

    for _ in range(_MAX_PRICING_ROUNDS):
        er, ec = np.nonzero(cand)  # row-major: id order, deterministic column order
        x, y_sub, y_jur = _restricted_lp(cost_full[er, ec], er, ec, n_rows, n_j, prep, rows, a, b)
        reduced = cost_full - y_sub[:, None] - y_jur[None, :]
        entering = allowed & ~cand & (reduced < -_PRICE_TOL * scale)
        if not entering.any():
            chosen = x > 0.5
            result[rows[er[chosen]], ec[chosen]] = True
            return result
        # Add the few most attractive pairs of each submission; enough to converge in a
        # handful of rounds without bloating the LP.
        masked = np.where(entering, reduced, np.inf)
        per_row = min(n_j, 5)
        idx = np.argpartition(masked, per_row - 1, axis=1)[:, :per_row]
        add = np.zeros_like(cand)
        np.put_along_axis(add, idx, True, axis=1)
        cand |= add & entering
    # Pricing did not settle (not expected): solve the full model as a MILP, still exact.
    return _solve_full_milp(prep, rows, a, b)  # pragma: no cover


def _restricted_lp(
    cost: np.ndarray,
    er: np.ndarray,
    ec: np.ndarray,
    n_rows: int,
    n_j: int,
    prep: _Prepared,
    rows: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = er.size
    cols = np.arange(n)
    a_eq = sp.csr_matrix((np.ones(n), (er, cols)), shape=(n_rows, n))
    a_j = sp.csr_matrix((np.ones(n), (ec, cols)), shape=(n_j, n))
    kwargs = {
        "A_ub": sp.vstack([a_j, -a_j]).tocsr(),
        "b_ub": np.concatenate([b, -a]).astype(np.float64),
        "A_eq": a_eq,
        "b_eq": prep.need[rows].astype(np.float64),
        "bounds": (0, 1),
    }
    # Interior point + crossover ends on a vertex (integral: the matrix is totally unimodular)
    # and is much faster than simplex on wide, degenerate bands; dual simplex is the fallback.
    res = None
    for method in ("highs-ipm", "highs-ds"):
        res = linprog(cost, method=method, **kwargs)
        if res.status == 0 and np.abs(res.x - np.round(res.x)).max(initial=0.0) <= 1e-6:
            break
    else:  # pragma: no cover - the candidate set always contains a feasible flow
        raise RuntimeError(f"assignment LP failed unexpectedly: {res.message}")
    x = res.x
    y_sub = res.eqlin.marginals
    y_jur = res.ineqlin.marginals[:n_j] - res.ineqlin.marginals[n_j:]
    return np.round(x), y_sub, y_jur


def _solve_full_milp(
    prep: _Prepared, rows: np.ndarray, a: np.ndarray, b: np.ndarray
) -> np.ndarray:  # pragma: no cover - safety net only
    er, ec = np.nonzero(prep.allowed[rows])
    n = er.size
    cols = np.arange(n)
    mat = sp.vstack(
        [
            sp.csr_matrix((np.ones(n), (er, cols)), shape=(rows.size, n)),
            sp.csr_matrix((np.ones(n), (ec, cols)), shape=(len(prep.jur_ids), n)),
        ]
    ).tocsr()
    need = prep.need[rows]
    res = milp(
        -prep.weight[rows][er, ec],
        constraints=LinearConstraint(mat, np.concatenate([need, a]), np.concatenate([need, b])),
        bounds=Bounds(0, 1),
        integrality=np.ones(n),
    )
    if res.status != 0:
        raise RuntimeError(f"assignment MILP failed unexpectedly: {res.message}")
    chosen = res.x > 0.5
    out = np.zeros(prep.allowed.shape, dtype=bool)
    out[rows[er[chosen]], ec[chosen]] = True
    return out


# --------------------------------------------------------------------------- public API


def _make_plan(prep: _Prepared, new: np.ndarray, notes: list[str]) -> AssignmentPlan:
    sub_ids, jur_ids = prep.sub_ids, prep.jur_ids
    new_pairs = [(sub_ids[i], jur_ids[j]) for i, j in np.argwhere(new)]
    existing = sorted(prep.problem.existing)
    all_pairs = sorted(existing + new_pairs)
    load_arr = prep.existing_load + new.sum(axis=0)
    loads = {j: int(load_arr[i]) for i, j in enumerate(jur_ids)}
    pref = prep.problem.preference
    values = [float(pref.get(p, 0.0)) for p in all_pairs]
    spread = int(load_arr.max() - load_arr.min()) if jur_ids else 0
    return AssignmentPlan(
        new_pairs=new_pairs,
        all_pairs=all_pairs,
        loads=loads,
        expertise_matches=sum(1 for v in values if v > 0),
        objective=float(sum(values)),
        balanced=spread <= 1,
        notes=notes,
    )


def solve_assignment(problem: AssignmentProblem) -> AssignmentPlan:
    """Optimal plan: exact k per submission, loads within max and as even as possible
    (spread <= 1 whenever feasible), no conflicts, maximum total preference.

    Raises InfeasibleAssignment with a plain-words reason when no plan exists.
    """
    prep = _prepare(problem)
    reason = _explain_infeasible(prep)
    if reason is not None:
        raise InfeasibleAssignment(reason)
    notes = list(prep.notes)
    new = np.zeros(prep.allowed.shape, dtype=bool)
    if prep.total_need == 0:
        notes.append("every submission already has enough jurors; nothing to add")
        return _make_plan(prep, new, notes)

    bands, band_notes = _choose_band(prep)
    notes.extend(band_notes)
    best: tuple[float, np.ndarray] | None = None
    for lo, hi, flow in bands:  # normally a single band
        a, b = _bounds_for_band(prep, lo, hi)
        new = _solve_lp(prep, a, b, flow.edge_flow)
        _check_plan(prep, new, a, b)
        value = float(prep.weight[new].sum())
        if best is None or value > best[0] + _PRICE_TOL:
            best = (value, new)
    assert best is not None
    return _make_plan(prep, best[1], notes)


def _check_plan(prep: _Prepared, new: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    # Cheap guard against solver tolerance surprises: the plan must satisfy every rule.
    got = new.sum(axis=1)
    load = new.sum(axis=0)
    ok = (
        np.array_equal(got, prep.need)
        and not np.any(new & ~prep.allowed)
        and np.all(load >= a)
        and np.all(load <= b)
    )
    if not ok:  # pragma: no cover
        raise RuntimeError("internal error: assignment plan violates the constraints")


def greedy_assignment(problem: AssignmentProblem) -> AssignmentPlan:
    """Baseline for the benchmark: submissions in id order, each takes the preferred jurors
    among those not above the even share, least loaded first on ties.  Not optimal."""
    prep = _prepare(problem)
    n_j = len(prep.jur_ids)
    load = prep.existing_load.copy()
    new = np.zeros(prep.allowed.shape, dtype=bool)
    share = min(prep.m, -(-prep.total_load // n_j)) if n_j else 0
    order_ids = np.arange(n_j)
    for i in np.flatnonzero(prep.need > 0):
        nd = int(prep.need[i])
        picked: list[int] = []
        for cap in (share, prep.m):
            ok = prep.allowed[i] & (load < cap) & ~new[i]
            cand = np.flatnonzero(ok)
            keys = np.lexsort((order_ids[cand], load[cand], -prep.weight[i, cand]))
            for c in cand[keys][: nd - len(picked)]:
                new[i, c] = True
                load[c] += 1
                picked.append(int(c))
            if len(picked) == nd:
                break
        if len(picked) < nd:
            raise InfeasibleAssignment(
                f"greedy assignment got stuck at submission {prep.sub_ids[i]}"
            )
    return _make_plan(prep, new, list(prep.notes))
