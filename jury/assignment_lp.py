"""The assignment solver's network LP, solved by column generation (HiGHS).

Pure (numpy + scipy, no Django). Variables ``x[s, j]`` in [0, 1] for the allowed pairs;
``sum_j x[s, j] = need[s]``; ``sum over expert j of x[s, j] >= floor[s]``; each juror's
new load in ``[a_j, b_j]``, or, with convex load costs, ``load_j = a_j + sum_l u[j, l]``
with unit steps ``u`` whose costs grow with the load (their sum is ``W x sum of squared
total loads``, ``W`` larger than any preference gain, so the most even loads come first).
Rows are a laminar family per submission (all pairs, expert pairs) and one per juror: a
network matrix, totally unimodular, so the vertex HiGHS returns (interior point +
crossover, dual simplex as fallback) is integral; this is verified.

To be fast on 600k candidate pairs the LP starts from a small candidate set (a feasible
flow plus the best pairs of each submission) and prices every other pair with the duals
until none has a negative reduced cost, which proves optimality for the full LP.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from .assignment_problem import Prepared

# Reduced costs above -_PRICE_TOL (relative to the preference scale) count as non-negative;
# HiGHS' own dual feasibility tolerance is 1e-7, so anything tighter would chase round-off.
_PRICE_TOL = 1e-7
_MAX_PRICING_ROUNDS = 60
# Initial candidates per submission = this x (k + 1) best pairs; pricing adds the rest.
_CANDIDATES_PER_NEED = 4


@dataclass
class LPRequest:
    a: np.ndarray  # juror new-load lower bounds
    b: np.ndarray  # juror new-load upper bounds
    floors: np.ndarray  # new expert readers per submission
    feasible: np.ndarray  # (S, J) a feasible plan (keeps the restricted LP feasible)
    convex: bool = False  # add sum of squared loads, weighted to come first
    preference: bool = True  # maximise the preference (else only the convex part)


def squared_loads(prep: Prepared, new: np.ndarray) -> int:
    loads = prep.existing_load + new.sum(axis=0)
    return int((loads.astype(np.int64) ** 2).sum())


def initial_columns(prep: Prepared, rows: np.ndarray, feasible: np.ndarray) -> np.ndarray:
    """Candidate pairs: a feasible flow plus each submission's best pairs. Equal weights
    are spread by rotating the juror order per submission, so candidates do not all pile
    onto the lowest juror ids."""
    n_j = len(prep.jur_ids)
    allowed = prep.allowed[rows]
    top = min(n_j, _CANDIDATES_PER_NEED * (prep.k + 1))
    rotation = (np.arange(n_j)[None, :] - (rows[:, None] * n_j) // max(1, len(prep.sub_ids))) % n_j
    key = np.where(allowed, -prep.weight[rows], np.inf)
    order = np.lexsort((rotation, key), axis=1)[:, :top]
    cand = np.zeros_like(allowed)
    np.put_along_axis(cand, order, True, axis=1)
    return (cand & allowed) | feasible[rows]


class _Model:
    """The LP over a set of candidate pairs, in the row layout described above."""

    def __init__(self, prep: Prepared, req: LPRequest, rows: np.ndarray) -> None:
        self.prep, self.req, self.rows = prep, req, rows
        self.n_rows, self.n_j = rows.size, len(prep.jur_ids)
        # A floor that asks for every remaining reader is a restriction to expert pairs,
        # not a row: the LP is much easier for HiGHS without such rows.
        floors, need = req.floors[rows], prep.need[rows]
        expert_only = floors >= need
        self.allowed = prep.allowed[rows] & (prep.expert[rows] | ~expert_only[:, None])
        self.floor_rows = np.flatnonzero((floors > 0) & ~expert_only)
        weights = prep.weight[rows]
        self.cost = -weights if req.preference else np.zeros_like(weights)
        self.pref_scale = max(1.0, float(np.abs(weights[prep.allowed[rows]]).max(initial=0.0)))
        self.big = 0.0
        if req.convex:
            need = float(prep.need[rows].sum())
            self.big = 2.0 * need * self.pref_scale + 1.0 if req.preference else 1.0
        steps = np.maximum(req.b - req.a, 0) if req.convex else np.zeros(self.n_j, dtype=int)
        self.step_juror = np.repeat(np.arange(self.n_j), steps)
        offset = np.concatenate([[0], np.cumsum(steps)[:-1]])
        level = np.arange(self.step_juror.size) - offset[self.step_juror] + 1
        base = prep.existing_load + req.a
        self.step_cost = self.big * (2.0 * (base[self.step_juror] + level) - 1.0)

    def matrices(self, er: np.ndarray, ec: np.ndarray):
        n, n_rows, n_j = er.size, self.n_rows, self.n_j
        n_steps = self.step_juror.size
        cols = np.arange(n)
        expert = self.prep.expert[self.rows[er], ec]
        floor_pos = np.full(n_rows, -1)
        floor_pos[self.floor_rows] = np.arange(self.floor_rows.size)
        fx = expert & (floor_pos[er] >= 0)
        a_floor = sp.csr_matrix(
            (-np.ones(fx.sum()), (floor_pos[er[fx]], cols[fx])),
            shape=(self.floor_rows.size, n + n_steps),
        )
        a_sub = sp.csr_matrix((np.ones(n), (er, cols)), shape=(n_rows, n + n_steps))
        a_jur = sp.csr_matrix((np.ones(n), (ec, cols)), shape=(n_j, n + n_steps))
        need = self.prep.need[self.rows].astype(np.float64)
        floors = -self.req.floors[self.rows][self.floor_rows].astype(np.float64)
        if self.req.convex:
            steps = sp.csr_matrix(
                (-np.ones(n_steps), (self.step_juror, n + np.arange(n_steps))),
                shape=(n_j, n + n_steps),
            )
            a_eq = sp.vstack([a_sub, a_jur + steps]).tocsr()
            b_eq = np.concatenate([need, self.req.a.astype(np.float64)])
            a_ub, b_ub = a_floor, floors
        else:
            a_eq, b_eq = a_sub, need
            a_ub = sp.vstack([a_floor, a_jur, -a_jur]).tocsr()
            b_ub = np.concatenate([floors, self.req.b, -self.req.a]).astype(np.float64)
        cost = np.concatenate([self.cost[er, ec], self.step_cost])
        return cost, a_eq, b_eq, a_ub, b_ub

    def reduced_costs(self, res) -> np.ndarray:
        """Reduced cost of every pair (rows x jurors) from the restricted LP's duals."""
        y_eq, y_ub = res.eqlin.marginals, res.ineqlin.marginals
        n_rows, n_f = self.n_rows, self.floor_rows.size
        reduced = self.cost - y_eq[:n_rows][:, None]
        if self.req.convex:
            reduced -= y_eq[n_rows:][None, :]
        else:
            reduced -= (y_ub[n_f : n_f + self.n_j] - y_ub[n_f + self.n_j :])[None, :]
        floor_bonus = np.zeros(n_rows)
        floor_bonus[self.floor_rows] = y_ub[:n_f]
        expert = self.prep.expert[self.rows]
        return reduced + np.where(expert, floor_bonus[:, None], 0.0)


def solve_lp(prep: Prepared, req: LPRequest) -> np.ndarray:
    """The optimal 0/1 plan of the request; a (S, J) bool matrix of new pairs."""
    rows = np.flatnonzero(prep.need > 0)
    model = _Model(prep, req, rows)
    allowed = model.allowed
    cand = initial_columns(prep, rows, req.feasible) & allowed
    result = np.zeros(prep.allowed.shape, dtype=bool)
    for _ in range(_MAX_PRICING_ROUNDS):
        er, ec = np.nonzero(cand)  # row-major: id order, deterministic column order
        res = _solve_restricted(*model.matrices(er, ec))
        reduced = model.reduced_costs(res)
        entering = allowed & ~cand & (reduced < -_PRICE_TOL * model.pref_scale)
        if not entering.any():
            chosen = res.x[: er.size] > 0.5
            result[rows[er[chosen]], ec[chosen]] = True
            return result
        # Add the few most attractive pairs of each submission; enough to converge in a
        # handful of rounds without bloating the LP.
        masked = np.where(entering, reduced, np.inf)
        per_row = min(len(prep.jur_ids), 5)
        idx = np.argpartition(masked, per_row - 1, axis=1)[:, :per_row]
        add = np.zeros_like(cand)
        np.put_along_axis(add, idx, True, axis=1)
        cand |= add & entering
    # Pricing did not settle (not expected): solve the full model as a MILP, still exact.
    return _solve_full_milp(prep, model, rows)  # pragma: no cover


def _solve_restricted(cost, a_eq, b_eq, a_ub, b_ub):
    kwargs = {"A_eq": a_eq, "b_eq": b_eq, "bounds": (0, 1)}
    if a_ub.shape[0]:
        kwargs.update(A_ub=a_ub, b_ub=b_ub)
    # Interior point + crossover ends on a vertex (integral: the matrix is totally unimodular)
    # and is much faster than simplex on wide, degenerate bands; dual simplex is the fallback.
    res = None
    for method in ("highs-ipm", "highs-ds"):
        res = linprog(cost, method=method, **kwargs)
        if res.status == 0 and np.abs(res.x - np.round(res.x)).max(initial=0.0) <= 1e-6:
            break
    else:  # pragma: no cover - the candidate set always contains a feasible flow
        raise RuntimeError(f"assignment LP failed unexpectedly: {res.message}")
    return res


def _solve_full_milp(  # pragma: no cover - safety net only
    prep: Prepared, model: _Model, rows: np.ndarray
) -> np.ndarray:
    er, ec = np.nonzero(model.allowed)
    cost, a_eq, b_eq, a_ub, b_ub = model.matrices(er, ec)
    constraints = [LinearConstraint(a_eq, b_eq, b_eq)]
    if a_ub.shape[0]:
        constraints.append(LinearConstraint(a_ub, -np.inf, b_ub))
    res = milp(
        cost,
        constraints=constraints,
        bounds=Bounds(0, 1),
        integrality=np.ones(cost.size),
    )
    if res.status != 0:
        raise RuntimeError(f"assignment MILP failed unexpectedly: {res.message}")
    chosen = res.x[: er.size] > 0.5
    out = np.zeros(prep.allowed.shape, dtype=bool)
    out[rows[er[chosen]], ec[chosen]] = True
    return out
