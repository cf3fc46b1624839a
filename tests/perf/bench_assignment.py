"""Benchmark of the exact assignment solver against the greedy baseline and, for fairness
(issue 13), against the previous objective (total expertise alone inside the load band).

Run standalone with ``python -m tests.perf.bench_assignment``; a combined runner can call
:func:`run`, which returns rows ``{name, value, unit, goal}``.  Not a pytest test.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from jury.assignment import (
    AssignmentPlan,
    AssignmentProblem,
    greedy_assignment,
    solve_assignment,
)
from tests.support.lp import full_lp

N_SUBMISSIONS = 2000
N_JURORS = 300
K = 3
MAX_PER_JUROR = 25
CONFLICT_RATE = 0.05
N_THEMES = 5
TIME_GOAL_S = 10.0


def make_problem(
    n_submissions: int = N_SUBMISSIONS,
    n_jurors: int = N_JURORS,
    seed: int = 2024,
    existing_share: float = 0.0,
    blocked_jurors: int = 0,
) -> AssignmentProblem:
    """Random instance: one theme per submission, 1-2 expertise themes per juror, 5% random
    conflicts; preference 1.0 when the juror's expertise covers the submission's theme.
    ``existing_share`` of the submissions already have one (non-conflicted) juror;
    the first ``blocked_jurors`` jurors conflict with 99.5% of the submissions (so loads
    cannot be balanced and the spread-minimising fallback runs)."""
    rng = np.random.default_rng(seed)
    subs = list(range(1, n_submissions + 1))
    jurors = list(range(10_001, 10_001 + n_jurors))
    theme = rng.integers(0, N_THEMES, n_submissions)
    expertise = np.zeros((n_jurors, N_THEMES), dtype=bool)
    for j in range(n_jurors):
        expertise[j, rng.choice(N_THEMES, rng.integers(1, 3), replace=False)] = True
    conflicted = rng.random((n_submissions, n_jurors)) < CONFLICT_RATE
    conflicted[:, :blocked_jurors] |= rng.random((n_submissions, blocked_jurors)) < 0.995
    match = expertise[:, theme].T  # (submissions, jurors)
    conflicts = frozenset(
        (subs[i], jurors[j]) for i, j in zip(*np.nonzero(conflicted), strict=True)
    )
    preference = {(subs[i], jurors[j]): 1.0 for i, j in zip(*np.nonzero(match), strict=True)}
    existing = set()
    for i in np.flatnonzero(rng.random(n_submissions) < existing_share):
        free = np.flatnonzero(~conflicted[i])
        existing.add((subs[i], jurors[int(rng.choice(free))]))
    return AssignmentProblem(
        submissions=subs,
        jurors=jurors,
        reviewers_per_submission=K,
        max_per_juror=MAX_PER_JUROR,
        conflicts=conflicts,
        existing=frozenset(existing),
        preference=preference,
    )


def make_tight_problem(
    seed: int = 1,
    n_submissions: int = 300,
    n_jurors: int = 40,
    max_per_juror: int = 23,
    conflict_rate: float = 0.44,
    n_themes: int = 8,
) -> AssignmentProblem:
    """The tight instance of issue 13: 300 entries x 3 readers on 40 jurors of at most 23
    (98% of capacity), 44% of pairs conflicted; one theme per entry and per juror (5
    experts per theme), conflicts redrawn for an entry until 2 experts are free for it, so
    every entry could have 2 expert readers."""
    rng = np.random.default_rng(seed)
    subs = list(range(1, n_submissions + 1))
    jurors = list(range(10_001, 10_001 + n_jurors))
    theme = rng.integers(0, n_themes, n_submissions)
    match = (np.arange(n_jurors) % n_themes)[None, :] == theme[:, None]
    conflicted = rng.random((n_submissions, n_jurors)) < conflict_rate
    for i in range(n_submissions):
        while (match[i] & ~conflicted[i]).sum() < 2:
            conflicted[i] = rng.random(n_jurors) < conflict_rate
    return AssignmentProblem(
        submissions=subs,
        jurors=jurors,
        reviewers_per_submission=K,
        max_per_juror=max_per_juror,
        conflicts=frozenset(
            (subs[i], jurors[j]) for i, j in zip(*np.nonzero(conflicted), strict=True)
        ),
        preference={(subs[i], jurors[j]): 1.0 for i, j in zip(*np.nonzero(match), strict=True)},
    )


def blocked_juror_problem() -> AssignmentProblem:
    """207 entries x 3 readers on 31 jurors; juror 1 conflicts with all but 5 entries, so
    loads cannot be within one; expertise is uneven (jurors 2-6 expert in half the
    entries), which pulls loads apart when only the total counts."""
    subs = list(range(1, 208))
    jurors = list(range(1, 32))
    conflicts = frozenset((s, 1) for s in subs if s > 5)
    preference = {(s, j): 1.0 for s in subs for j in range(2, 7) if s % 2 == 0}
    preference |= {(s, j): 1.0 for s in subs for j in range(7, 32) if s % 7 == 0}
    return AssignmentProblem(subs, jurors, 3, 25, conflicts, frozenset(), preference)


def total_only_plan(
    problem: AssignmentProblem, lo: int, hi: int
) -> tuple[float, np.ndarray, np.ndarray]:
    """The previous objective, for comparison: maximum total preference with every load in
    [lo, hi] and nothing else (one plain LP over every pair; no existing assignments).
    Returns (total, expert readers per submission, load per juror) of HiGHS' vertex."""
    reference = full_lp(problem, lo, hi)
    chosen = reference.result.x > 0.5
    n_subs, n_jurors = len(problem.submissions), len(problem.jurors)
    weights = chosen & (reference.preference > 0)
    experts = np.bincount(reference.rows, weights=weights, minlength=n_subs)
    loads = np.bincount(reference.columns, weights=chosen, minlength=n_jurors)
    return reference.optimum, experts, loads


def _expert_readers(problem: AssignmentProblem, plan: AssignmentPlan) -> list[int]:
    count = dict.fromkeys(problem.submissions, 0)
    for s, j in plan.all_pairs:
        count[s] += problem.preference.get((s, j), 0.0) > 0
    return list(count.values())


def fairness_rows() -> list[dict[str, Any]]:
    """Issue 13: the fewest expert readers of any entry, and ordinary jurors' loads."""
    rows: list[dict[str, Any]] = []
    tight = make_tight_problem(seed=1)
    plan, seconds = _timed(solve_assignment, tight)
    total, previous, _ = total_only_plan(tight, 22, 23)
    label = "tight instance (300x40, 98% capacity, 44% conflicts)"
    rows += [
        {"name": f"{label}: time", "value": round(seconds, 3), "unit": "s", "goal": None},
        {
            "name": f"{label}: fewest expert readers of an entry",
            "value": min(_expert_readers(tight, plan)),
            "unit": "readers",
            "goal": ">= 2",
        },
        {
            "name": f"{label}: fewest expert readers, previous objective",
            "value": int(previous.min()),
            "unit": "readers",
            "goal": None,
        },
        {
            "name": f"{label}: entries below 2 expert readers, previous objective",
            "value": int((previous < 2).sum()),
            "unit": "entries",
            "goal": None,
        },
        {
            "name": f"{label}: total expertise matches",
            "value": int(plan.expertise_matches),
            "unit": "pairs",
            "goal": f"= previous ({int(total)})",
        },
    ]
    blocked = blocked_juror_problem()
    plan, seconds = _timed(solve_assignment, blocked)
    ordinary = [load for j, load in plan.loads.items() if j != 1]
    _, _, before = total_only_plan(blocked, plan.loads[1], max(ordinary))
    label = "one blocked juror (207x31, juror 1 free for 5 entries)"
    rows += [
        {"name": f"{label}: time", "value": round(seconds, 3), "unit": "s", "goal": None},
        {
            "name": f"{label}: ordinary jurors' loads",
            "value": f"{min(ordinary)}-{max(ordinary)}",
            "unit": "",
            "goal": "within 1",
        },
        {
            "name": f"{label}: ordinary jurors' loads, previous objective",
            "value": f"{int(before[1:].min())}-{int(before[1:].max())}",
            "unit": "",
            "goal": None,
        },
    ]
    scarce = make_tight_problem(
        seed=2,
        n_submissions=N_SUBMISSIONS,
        n_jurors=N_JURORS,
        max_per_juror=25,
        n_themes=40,
        conflict_rate=0.3,
    )
    plan, seconds = _timed(solve_assignment, scarce)
    label = f"scarce experts ({N_SUBMISSIONS}x{N_JURORS}, 40 themes, 30% conflicts)"
    rows += [
        {
            "name": f"{label}: time",
            "value": round(seconds, 3),
            "unit": "s",
            "goal": f"<= {TIME_GOAL_S:g} s",
        },
        {
            "name": f"{label}: fewest expert readers of an entry",
            "value": min(_expert_readers(scarce, plan)),
            "unit": "readers",
            "goal": None,
        },
    ]
    return rows


def _timed(fn: Any, problem: AssignmentProblem) -> tuple[AssignmentPlan, float]:
    start = time.perf_counter()
    plan = fn(problem)
    return plan, time.perf_counter() - start


def _spread(plan: AssignmentPlan) -> int:
    return max(plan.loads.values()) - min(plan.loads.values())


def run() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    scenarios = (("", 0.0, 0), ("topup_", 0.3, 0), ("unbalanceable_", 0.0, 5))
    for label, share, blocked in scenarios:
        problem = make_problem(existing_share=share, blocked_jurors=blocked)
        plan, t_exact = _timed(solve_assignment, problem)
        greedy, t_greedy = _timed(greedy_assignment, problem)
        size = f"{N_SUBMISSIONS}x{N_JURORS}, k={K}"
        rows += [
            {
                "name": f"assignment_{label}exact_time ({size})",
                "value": round(t_exact, 3),
                "unit": "s",
                "goal": f"<= {TIME_GOAL_S:g} s",
            },
            {
                "name": f"assignment_{label}exact_expertise_matches",
                "value": plan.expertise_matches,
                "unit": "pairs",
                # Even loads come first: greedy lets ordinary jurors' loads drift apart.
                "goal": ">= greedy" if not blocked else "loads first",
            },
            {
                "name": f"assignment_{label}exact_load_spread",
                "value": _spread(plan),
                "unit": "reviews",
                "goal": "<= 1" if not blocked else "minimal",
            },
            {
                "name": f"assignment_{label}exact_fewest_expert_readers",
                "value": min(_expert_readers(problem, plan)),
                "unit": "readers",
                "goal": None,
            },
            {
                "name": f"assignment_{label}greedy_time",
                "value": round(t_greedy, 3),
                "unit": "s",
                "goal": None,
            },
            {
                "name": f"assignment_{label}greedy_expertise_matches",
                "value": greedy.expertise_matches,
                "unit": "pairs",
                "goal": None,
            },
            {
                "name": f"assignment_{label}greedy_load_spread",
                "value": _spread(greedy),
                "unit": "reviews",
                "goal": None,
            },
        ]
    return rows + fairness_rows()


def main() -> None:
    rows = run()
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        goal = f"  (goal {r['goal']})" if r["goal"] else ""
        print(f"{r['name']:<{width}}  {r['value']:>10} {r['unit']}{goal}")


if __name__ == "__main__":
    main()
