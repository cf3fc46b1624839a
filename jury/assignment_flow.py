"""Max-flow feasibility for the assignment solver: load boxes and expert floors.

Pure (numpy + scipy, no Django). A plan is a flow source -> submission (exactly its need)
-> juror (one unit per allowed pair) -> sink, with each juror's new load inside a box
``[a_j, b_j]``. An expert floor adds a node per submission through which its expert pairs
pass, with a lower bound on that flow. Lower bounds use the textbook circulation
transform (super source SS, super sink TT, an edge sink -> source closing the circulation)
so one max flow decides feasibility exactly.

``choose_loads`` picks the box: every juror within one of the others when possible;
otherwise "water-filling", the most even loads when each juror is limited only by their own
conflicts, maximum and existing assignments (a box in which every plan is decreasingly
minimal, so ordinary jurors stay within one of each other); and if the conflicts interact
so that no plan fits that box either, no box at all and convex load costs in the LP.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from .assignment_problem import Prepared


@dataclass
class Flow:
    value: int
    edge_flow: np.ndarray  # (S, J) pairs that carry flow
    reachable: np.ndarray  # nodes reachable from the super source in the residual graph
    sub_nodes: np.ndarray  # node id of each submission row (only rows that need reviews)
    jur_base: int


def feasible_flow(
    prep: Prepared,
    a: np.ndarray,
    b: np.ndarray,
    floors: np.ndarray | None = None,
    want_cut: bool = False,
) -> Flow | None:
    """A flow with juror new loads in [a, b] and at least ``floors[i]`` new expert readers
    for each submission, or None (with ``want_cut``, the maximum flow and its cut)."""
    if np.any(b < a) or np.any(b < 0):
        return None
    floors = np.zeros(len(prep.sub_ids), dtype=np.int64) if floors is None else floors
    rows = np.flatnonzero(prep.need > 0)
    hubs = rows[floors[rows] > 0]
    n_rows, n_hubs, n_j = rows.size, hubs.size, len(prep.jur_ids)
    src, snk, ss, tt = 0, 1, 2, 3
    sub_nodes = 4 + np.arange(n_rows)
    hub_of_row = np.full(len(prep.sub_ids), -1)
    hub_of_row[hubs] = 4 + n_rows + np.arange(n_hubs)
    row_node = np.full(len(prep.sub_ids), -1)
    row_node[rows] = sub_nodes
    jur_base = 4 + n_rows + n_hubs
    jurors = jur_base + np.arange(n_j)
    total = int(prep.need.sum())
    lower = int(a.sum())
    floor_sum = int(floors[hubs].sum())

    er, ec = np.nonzero(prep.allowed[rows] & (b > 0)[None, :])
    via_hub = (hub_of_row[rows[er]] >= 0) & prep.expert[rows[er], ec]
    pair_tail = np.where(via_hub, hub_of_row[rows[er]], sub_nodes[er])
    row_of_hub = row_node[hubs]
    edges = [
        (np.full(n_rows, ss), sub_nodes, prep.need[rows]),  # mandatory source -> submission
        (np.array([src]), np.array([tt]), np.array([total])),
        (row_of_hub, hub_of_row[hubs], prep.need[hubs] - floors[hubs]),  # submission -> hub
        (np.full(n_hubs, ss), hub_of_row[hubs], floors[hubs]),  # the hub's floor
        (row_of_hub, np.full(n_hubs, tt), floors[hubs]),
        (pair_tail, jur_base + ec, np.ones(er.size, dtype=np.int64)),
        (jurors, np.full(n_j, snk), b - a),
        (np.array([ss]), np.array([snk]), np.array([lower])),  # the jurors' load floors
        (jurors, np.full(n_j, tt), a),
        (np.array([snk]), np.array([src]), np.array([total])),
    ]
    tails = np.concatenate([e[0] for e in edges]).astype(np.int64)
    heads = np.concatenate([e[1] for e in edges]).astype(np.int64)
    caps = np.concatenate([e[2] for e in edges]).astype(np.int64)
    keep = caps > 0
    n_nodes = jur_base + n_j
    cap = sp.csr_matrix(
        (caps[keep].astype(np.int32), (tails[keep], heads[keep])), shape=(n_nodes, n_nodes)
    )
    result = maximum_flow(cap, ss, tt)
    value = int(result.flow_value)
    if value < total + lower + floor_sum and not want_cut:
        return None
    flow = result.flow.tocsr()
    edge_flow = np.zeros(prep.allowed.shape, dtype=bool)
    if er.size:
        f = np.asarray(flow[pair_tail, jur_base + ec]).ravel()
        edge_flow[rows[er[f > 0]], ec[f > 0]] = True
    reachable = np.zeros(0, dtype=np.int64)
    if want_cut:
        residual = (cap - flow).tocsr()
        residual.data[residual.data < 0] = 0
        residual.eliminate_zeros()
        reachable = breadth_first_order(residual, ss, directed=True, return_predecessors=False)
    return Flow(value, edge_flow, reachable, sub_nodes, jur_base)


def unbounded_flow_with_cut(prep: Prepared) -> Flow:
    """The maximum flow with no load floor, and its minimum cut (for explanations)."""
    n_j = len(prep.jur_ids)
    flow = feasible_flow(prep, np.zeros(n_j, dtype=np.int64), prep.capacity.copy(), want_cut=True)
    assert flow is not None
    return flow


# --------------------------------------------------------------------------- load boxes


@dataclass
class LoadBox:
    """New-load bounds per juror and a feasible flow inside them."""

    a: np.ndarray
    b: np.ndarray
    kind: str  # "balanced" | "even" | "convex" (no box: convex load costs in the LP)
    flow: Flow
    even_share: tuple[int, int]  # floor and ceiling of total load / jurors
    ordinary: np.ndarray  # jurors the box does not pin to their own limits


def choose_loads(prep: Prepared) -> LoadBox:
    n_j = len(prep.jur_ids)
    total = prep.total_load
    lo_bal, hi_bal = total // n_j, -(-total // n_j)
    e = prep.existing_load
    a = np.maximum(0, lo_bal - e)
    b = np.minimum(hi_bal, prep.m) - e
    everyone = np.ones(n_j, dtype=bool)
    flow = feasible_flow(prep, a, b)
    if flow is not None:
        return LoadBox(a, b, "balanced", flow, (lo_bal, hi_bal), everyone)

    # Water-filling: each juror between their existing load and their own reach.
    reach = prep.reach
    level = int(e.min())
    while np.clip(level, e, reach).sum() < total:
        level += 1
    low = np.clip(level - 1, e, reach)
    high = np.clip(level, e, reach)
    ordinary = (e < level - 1) & (reach >= level)
    flow = feasible_flow(prep, low - e, high - e)
    if flow is not None:
        return LoadBox(low - e, high - e, "even", flow, (lo_bal, hi_bal), ordinary)

    zero = np.zeros(n_j, dtype=np.int64)
    flow = feasible_flow(prep, zero, prep.capacity.copy())
    assert flow is not None  # explain_infeasible found a plan already
    return LoadBox(zero, prep.capacity.copy(), "convex", flow, (lo_bal, hi_bal), everyone)


# --------------------------------------------------------------------------- expert floors


def floors_for(prep: Prepared, level: int) -> np.ndarray:
    """New expert readers each submission needs so that it has at least
    ``min(level, what it can have)`` expert readers in all."""
    wanted = np.minimum(level, prep.possible_experts())
    return np.maximum(0, wanted - prep.existing_expert)


def best_expert_floor(prep: Prepared, box: LoadBox) -> tuple[int, np.ndarray, Flow]:
    """The highest level every submission can reach (up to what it can have) inside the
    box, by binary search over exact max flows; with its floors and a feasible flow."""
    zero = np.zeros(len(prep.sub_ids), dtype=np.int64)
    if not prep.expert.any():
        return 0, zero, box.flow
    lo, hi = 0, int(prep.possible_experts().max())
    found = box.flow
    while lo < hi:
        mid = (lo + hi + 1) // 2
        flow = feasible_flow(prep, box.a, box.b, floors_for(prep, mid))
        if flow is not None:
            lo, found = mid, flow
        else:
            hi = mid - 1
    return lo, floors_for(prep, lo), found
