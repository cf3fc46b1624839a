"""Exact assignment of submissions to jurors (pure computation, no Django).

The problem is a bipartite transportation problem: every submission must receive exactly
``k`` jurors (existing assignments count; ``targets`` may ask a different number per
submission, as a top-up of chosen entries does), no juror may exceed ``max_per_juror``,
conflicted pairs are forbidden. Among the plans that satisfy these rules the solver picks,
in this order of priority:

1. **Even loads.** Every juror within one of the others when possible. Otherwise the
   decreasingly minimal loads (the most even plan: no juror's load can come down without
   raising a heavier one's): the jurors held back by their conflicts, their maximum or
   their existing assignments take what they can, and the ordinary jurors stay within one
   of each other (``jury.assignment_flow.choose_loads``).
2. **The fewest expert readers any entry gets, as high as possible.** An expert reader is
   a pair with a positive preference (an expertise match). The level t is the largest such
   that every submission has at least ``min(t, the expert readers it can have)``, found by
   binary search over exact max flows with lower bounds.
3. **The total preference, as high as possible**, by the network LP of
   ``jury.assignment_lp`` (column generation, exact).

Infeasible requests raise ``InfeasibleAssignment`` with a plain-words reason
(``jury.assignment_explain``); plans carry ``notices`` (code, params, English text).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np

from submissions.notices import Notice

from . import assignment_explain as explain
from .assignment_flow import (
    LoadBox,
    best_expert_floor,
    choose_loads,
    feasible_flow,
    floors_for,
    unbounded_flow_with_cut,
)
from .assignment_lp import LPRequest, solve_lp, squared_loads
from .assignment_problem import AssignmentProblem, InfeasibleAssignment, Prepared, prepare

__all__ = [
    "AssignmentPlan",
    "AssignmentProblem",
    "InfeasibleAssignment",
    "greedy_assignment",
    "solve_assignment",
    "top_up_problem",
]


@dataclass(frozen=True)
class AssignmentPlan:
    new_pairs: list[tuple[int, int]]  # pairs to add, sorted
    all_pairs: list[tuple[int, int]]  # existing + new, sorted
    loads: dict[int, int]  # juror -> total load after the plan
    expertise_matches: int  # pairs in all_pairs with preference > 0
    objective: float  # total preference of all_pairs
    balanced: bool  # max load - min load <= 1
    notices: list[Notice]
    expert_floor: int = 0  # every submission has min(this, what it can have) expert readers

    @property
    def notes(self) -> list[str]:
        return [n.message for n in self.notices]


def solve_assignment(problem: AssignmentProblem) -> AssignmentPlan:
    """Optimal plan: exact readers per submission, no conflicts, loads within the maximum
    and as even as possible, then the most expert readers for the worst-served submission,
    then the maximum total preference (see the module docstring).

    Raises InfeasibleAssignment with a plain-words reason when no plan exists.
    """
    prep = prepare(problem)
    reason = explain.explain_infeasible(prep, unbounded_flow_with_cut)
    if reason is not None:
        raise InfeasibleAssignment(reason)
    notices = list(prep.notes)
    if prep.total_need == 0:
        notices.append(
            Notice("nothing_to_add", "every submission already has enough jurors; nothing to add")
        )
        return _make_plan(prep, np.zeros(prep.allowed.shape, dtype=bool), notices)

    box = choose_loads(prep)
    if box.kind == "convex":
        floor, floors, new = _convex_plan(prep, box)
    else:
        floor, floors, flow = best_expert_floor(prep, box)
        new = solve_lp(prep, LPRequest(box.a, box.b, floors, flow.edge_flow))
    _check_plan(prep, new, box, floors)

    loads = prep.existing_load + new.sum(axis=0)
    if box.kind != "balanced":
        lo_bal, hi_bal = box.even_share
        notices.append(explain.unbalanced_note(prep, lo_bal, hi_bal, loads, box.ordinary))
    if prep.expert.any():
        capped = [prep.sub_ids[i] for i in np.flatnonzero(prep.possible_experts() < floor)]
        notices.append(explain.expert_floor_note(prep, floor, capped))
    return _make_plan(prep, new, notices)


def _convex_plan(prep: Prepared, box: LoadBox) -> tuple[int, np.ndarray, np.ndarray]:
    """No load box holds: the most even loads by convex costs, checked exactly for every
    expert level tried (the level must not cost evenness)."""

    def plan(floors: np.ndarray, feasible: np.ndarray, preference: bool) -> np.ndarray:
        request = LPRequest(box.a, box.b, floors, feasible, convex=True, preference=preference)
        return solve_lp(prep, request)

    floors = np.zeros(len(prep.sub_ids), dtype=np.int64)
    feasible = box.flow.edge_flow
    evenest = squared_loads(prep, plan(floors, feasible, preference=False))
    lo, hi = 0, int(prep.possible_experts().max()) if prep.expert.any() else 0
    while lo < hi:
        mid = (lo + hi + 1) // 2
        trial = floors_for(prep, mid)
        flow = feasible_flow(prep, box.a, box.b, trial)
        if flow is not None and squared_loads(prep, plan(trial, flow.edge_flow, False)) == evenest:
            lo, floors, feasible = mid, trial, flow.edge_flow
        else:
            hi = mid - 1
    return lo, floors, plan(floors, feasible, preference=True)


def _check_plan(prep: Prepared, new: np.ndarray, box: LoadBox, floors: np.ndarray) -> None:
    # Cheap guard against solver tolerance surprises: the plan must satisfy every rule.
    load = new.sum(axis=0)
    ok = (
        np.array_equal(new.sum(axis=1), prep.need)
        and not np.any(new & ~prep.allowed)
        and np.all(load >= box.a)
        and np.all(load <= box.b)
        and np.all((new & prep.expert).sum(axis=1) >= floors)
    )
    if not ok:  # pragma: no cover
        raise RuntimeError("internal error: assignment plan violates the constraints")


def expert_level(prep: Prepared, new: np.ndarray) -> int:
    """The largest t such that every submission has min(t, what it can have) expert
    readers in the plan (existing and new)."""
    possible = prep.possible_experts()
    experts = prep.existing_expert + (new & prep.expert).sum(axis=1)
    short = experts < possible
    top = int(possible.max(initial=0))
    return min(top, int(experts[short].min())) if short.any() else top


def _make_plan(prep: Prepared, new: np.ndarray, notices: list[Notice]) -> AssignmentPlan:
    sub_ids, jur_ids = prep.sub_ids, prep.jur_ids
    new_pairs = [(sub_ids[i], jur_ids[j]) for i, j in np.argwhere(new)]
    all_pairs = sorted(sorted(prep.problem.existing) + new_pairs)
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
        notices=notices,
        expert_floor=expert_level(prep, new),
    )


def top_up_problem(
    problem: AssignmentProblem,
    extra: Mapping[int, int],
    readers: Collection[int] | None = None,
    max_per_juror: int | None = None,
) -> AssignmentProblem:
    """The problem of adding ``extra[s]`` readers to chosen submissions and nothing else:
    every submission's target becomes its existing readers plus its extra ones. With
    ``readers``, the extra reviews may go only to those jurors (bridge reviews, see
    ``scoring.design_checks.bridge_requests``), expressed as exclusions of the others."""
    have: dict[int, int] = {}
    for s, _ in problem.existing:
        have[s] = have.get(s, 0) + 1
    unknown = sorted(set(extra) - set(problem.submissions), key=str)
    if unknown:
        raise ValueError(f"extra reviews asked for entries outside the round: {unknown}")
    targets = {s: have.get(s, 0) + int(extra.get(s, 0)) for s in problem.submissions}
    conflicts = set(problem.conflicts)
    if readers is not None:
        allowed = set(readers)
        conflicts |= {
            (s, j)
            for s in extra
            for j in problem.jurors
            if j not in allowed and (s, j) not in problem.existing
        }
    return AssignmentProblem(
        submissions=problem.submissions,
        jurors=problem.jurors,
        reviewers_per_submission=problem.reviewers_per_submission,
        max_per_juror=max_per_juror or problem.max_per_juror,
        conflicts=frozenset(conflicts),
        existing=problem.existing,
        preference=problem.preference,
        targets=targets,
    )


def greedy_assignment(problem: AssignmentProblem) -> AssignmentPlan:
    """Baseline for the benchmark: submissions in id order, each takes the preferred jurors
    among those not above the even share, least loaded first on ties.  Not optimal."""
    prep = prepare(problem)
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
                Notice(
                    "greedy_stuck",
                    f"greedy assignment got stuck at submission {prep.sub_ids[i]}",
                    {"submission": prep.sub_ids[i]},
                )
            )
    return _make_plan(prep, new, list(prep.notes))
