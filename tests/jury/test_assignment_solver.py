"""Tests of the exact juror assignment solver (pure computation, no database)."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

import jury.assignment_lp as assignment_lp
from jury.assignment import (
    AssignmentPlan,
    AssignmentProblem,
    InfeasibleAssignment,
    greedy_assignment,
    solve_assignment,
    top_up_problem,
)
from tests.perf.bench_assignment import (
    blocked_juror_problem,
    make_tight_problem,
    total_only_plan,
)
from tests.support.lp import full_lp

# --------------------------------------------------------------------------- helpers


def assert_valid(problem: AssignmentProblem, plan: AssignmentPlan) -> None:
    """Every hard rule of the spec holds for the plan."""
    k, m = problem.reviewers_per_submission, problem.max_per_juror
    existing = set(problem.existing)
    assert plan.new_pairs == sorted(plan.new_pairs)
    assert plan.all_pairs == sorted(existing | set(plan.new_pairs))
    assert len(set(plan.all_pairs)) == len(plan.all_pairs)
    assert not existing & set(plan.new_pairs)
    assert not set(plan.all_pairs) & problem.conflicts
    per_sub = {s: 0 for s in problem.submissions}
    had = {s: 0 for s in problem.submissions}
    for s, _ in existing:
        had[s] += 1
    for s, _ in plan.all_pairs:
        per_sub[s] += 1
    for s in problem.submissions:
        assert per_sub[s] == max(problem.targets.get(s, k), had[s])
    loads = {j: 0 for j in problem.jurors}
    for _, j in plan.all_pairs:
        loads[j] += 1
    assert plan.loads == loads
    assert max(loads.values(), default=0) <= m
    spread = max(loads.values()) - min(loads.values()) if loads else 0
    assert plan.balanced == (spread <= 1)
    prefs = [problem.preference.get(p, 0.0) for p in plan.all_pairs]
    assert plan.objective == pytest.approx(sum(prefs))
    assert plan.expertise_matches == sum(1 for v in prefs if v > 0)


def spread_of(plan: AssignmentPlan) -> int:
    return max(plan.loads.values()) - min(plan.loads.values())


def possible_experts(problem: AssignmentProblem) -> dict[int, int]:
    """Per submission, the most expert readers it can have: its existing expert readers
    plus the expert jurors free of conflicts with room left, within the readers it still
    needs (the solver's definition, computed independently)."""
    k, m = problem.reviewers_per_submission, problem.max_per_juror
    pref = problem.preference
    load = {j: sum(1 for _, b in problem.existing if b == j) for j in problem.jurors}
    out = {}
    for s in problem.submissions:
        target = problem.targets.get(s, k)
        had = [j for a, j in problem.existing if a == s]
        need = max(0, target - len(had))
        free = [
            j
            for j in problem.jurors
            if (s, j) not in problem.conflicts
            and (s, j) not in problem.existing
            and load[j] < m
            and pref.get((s, j), 0) > 0
        ]
        have = sum(1 for j in had if pref.get((s, j), 0) > 0)
        out[s] = min(target, have + min(need, len(free) if need else 0))
    return out


def brute_force(problem: AssignmentProblem) -> tuple[int, int, float] | None:
    """(load spread, expert floor, preference) of the best plan in the solver's order:
    least sum of squared loads (the most even), then the highest level t such that every
    submission has min(t, what it can have) expert readers, then the most preference.
    None when no plan exists. Dynamic programme over submissions keyed by (load vector,
    expert level so far)."""
    k, m = problem.reviewers_per_submission, problem.max_per_juror
    jurors = sorted(problem.jurors)
    pos = {j: i for i, j in enumerate(jurors)}
    pref = problem.preference
    possible = possible_experts(problem)
    top = max(possible.values(), default=0)
    loads0 = [0] * len(jurors)
    base = 0.0
    had = dict.fromkeys(problem.submissions, 0)
    had_expert = dict.fromkeys(problem.submissions, 0)
    for s, j in problem.existing:
        if (s, j) in problem.conflicts:
            return None
        loads0[pos[j]] += 1
        had[s] += 1
        had_expert[s] += pref.get((s, j), 0.0) > 0
        base += pref.get((s, j), 0.0)
    if any(x > m for x in loads0):
        return None
    states = {(tuple(loads0), top): base}
    for s in sorted(problem.submissions):
        need = max(0, problem.targets.get(s, k) - had[s])
        free = [
            j for j in jurors if (s, j) not in problem.conflicts and (s, j) not in problem.existing
        ]
        nxt: dict[tuple[tuple[int, ...], int], float] = {}
        for (loads, level), val in states.items():
            for combo in itertools.combinations(free, need):
                new = list(loads)
                gain = 0.0
                experts = had_expert[s]
                for j in combo:
                    new[pos[j]] += 1
                    gain += pref.get((s, j), 0.0)
                    experts += pref.get((s, j), 0.0) > 0
                if max(new, default=0) > m:
                    continue
                reached = level if experts >= possible[s] else min(level, experts)
                key = (tuple(new), reached)
                if val + gain > nxt.get(key, -np.inf):
                    nxt[key] = val + gain
        states = nxt
    if not states:
        return None
    evenest = min(sum(x * x for x in ld) for ld, _ in states)
    even = {key: v for key, v in states.items() if sum(x * x for x in key[0]) == evenest}
    floor = max(level for _, level in even)
    best = max(v for (_, level), v in even.items() if level == floor)
    spread = min(max(ld) - min(ld) for ld, _ in even)
    return spread, floor, best


def milp_reference(problem: AssignmentProblem) -> tuple[int, int, float] | None:
    """Independent formulation of the solver's order with scipy's MILP: least sum of squared
    loads (unit load steps of increasing cost), then the highest expert level (tried from
    the top), then the most preference. Returns (spread, expert floor, preference)."""
    k, m = problem.reviewers_per_submission, problem.max_per_juror
    subs, jurors = sorted(problem.submissions), sorted(problem.jurors)
    pref = problem.preference
    had = {s: sum(1 for (a, _) in problem.existing if a == s) for s in subs}
    e = {j: sum(1 for (_, b) in problem.existing if b == j) for j in jurors}
    pairs = [
        (s, j)
        for s in subs
        for j in jurors
        if had[s] < k and (s, j) not in problem.conflicts and (s, j) not in problem.existing
    ]
    steps = [(j, level) for j in jurors for level in range(e[j] + 1, m + 1)]
    n, n_u = len(pairs), len(steps)
    rows, lbs, ubs = [], [], []

    def row() -> np.ndarray:
        return np.zeros(n + n_u)

    for s in subs:
        r = row()
        r[[i for i, (a, _) in enumerate(pairs) if a == s]] = 1
        rows.append(r)
        lbs.append(max(0, k - had[s]))
        ubs.append(max(0, k - had[s]))
    for j in jurors:
        r = row()
        r[[i for i, (_, b) in enumerate(pairs) if b == j]] = 1
        r[[n + u for u, (b, _) in enumerate(steps) if b == j]] = -1
        rows.append(r)
        lbs.append(0)
        ubs.append(0)
    square = row()
    square[n:] = [2 * level - 1 for _, level in steps]
    bounds = Bounds(0, 1)
    integrality = np.ones(n + n_u)
    base_constraint = LinearConstraint(sp.csr_matrix(np.array(rows)), lbs, ubs)
    first = milp(square, constraints=base_constraint, bounds=bounds, integrality=integrality)
    if first.status != 0:
        return None
    evenest = round(first.fun)

    possible = possible_experts(problem)
    had_expert = {
        s: sum(1 for (a, j) in problem.existing if a == s and pref.get((a, j), 0) > 0) for s in subs
    }

    def constraints(level: int) -> list[LinearConstraint]:
        extra = [square]
        lo, hi = [-np.inf], [evenest]
        for s in subs:
            wanted = min(level, possible[s]) - had_expert[s]
            if wanted > 0:
                r = row()
                r[[i for i, p in enumerate(pairs) if p[0] == s and pref.get(p, 0) > 0]] = 1
                extra.append(r)
                lo.append(wanted)
                hi.append(np.inf)
        return [base_constraint, LinearConstraint(sp.csr_matrix(np.array(extra)), lo, hi)]

    top = max(possible.values(), default=0)
    floor = next(
        level
        for level in range(top, -1, -1)
        if milp(
            row(), constraints=constraints(level), bounds=bounds, integrality=integrality
        ).status
        == 0
    )
    gain = row()
    gain[:n] = [-pref.get(p, 0.0) for p in pairs]
    last = milp(gain, constraints=constraints(floor), bounds=bounds, integrality=integrality)
    assert last.status == 0
    chosen = [pairs[i] for i in np.flatnonzero(last.x[:n] > 0.5)]
    loads = [e[j] + sum(1 for _, b in chosen if b == j) for j in jurors]
    base = sum(pref.get(p, 0.0) for p in problem.existing)
    return max(loads) - min(loads), floor, base - last.fun


def random_problem(
    seed: int,
    n_s: int,
    n_j: int,
    k: int,
    m: int,
    conflict_rate: float,
    existing_rate: float = 0.0,
    float_weights: bool = False,
) -> AssignmentProblem:
    rng = random.Random(seed)
    subs = rng.sample(range(1, 10 * n_s + 1), n_s)
    jurors = rng.sample(range(1000, 1000 + 10 * n_j), n_j)
    conflicts = frozenset((s, j) for s in subs for j in jurors if rng.random() < conflict_rate)
    existing = frozenset(
        (s, j)
        for s in subs
        for j in jurors
        if (s, j) not in conflicts and rng.random() < existing_rate
    )
    pref = {}
    for s in subs:
        for j in jurors:
            if float_weights:
                pref[(s, j)] = round(rng.random(), 3)
            elif rng.random() < 0.35:
                pref[(s, j)] = 1.0
    return AssignmentProblem(subs, jurors, k, m, conflicts, existing, pref)


# --------------------------------------------------------------------------- small hand cases


def test_simple_plan_is_exact_and_balanced() -> None:
    problem = AssignmentProblem(
        submissions=[1, 2, 3, 4],
        jurors=[10, 11, 12],
        reviewers_per_submission=2,
        max_per_juror=3,
        conflicts=frozenset({(1, 10)}),
        preference={(1, 11): 1.0, (2, 10): 1.0},
    )
    plan = solve_assignment(problem)
    assert_valid(problem, plan)
    assert plan.balanced
    assert sorted(plan.loads.values()) == [2, 3, 3]
    assert plan.expertise_matches == 2
    assert plan.objective == 2.0
    assert (1, 11) in plan.new_pairs and (2, 10) in plan.new_pairs


def test_exact_beats_greedy_on_a_trap() -> None:
    # Greedy in id order gives submission 1 juror 10 (tie, lower id) and leaves submission 2
    # with its only non-matching juror; the exact solver swaps them.
    problem = AssignmentProblem(
        submissions=[1, 2],
        jurors=[10, 11],
        reviewers_per_submission=1,
        max_per_juror=1,
        preference={(1, 10): 1.0, (1, 11): 1.0, (2, 10): 1.0},
    )
    plan = solve_assignment(problem)
    assert plan.new_pairs == [(1, 11), (2, 10)]
    assert plan.expertise_matches == 2
    greedy = greedy_assignment(problem)
    assert_valid(problem, greedy)
    assert greedy.expertise_matches == 1


def test_balance_is_preferred_over_expertise() -> None:
    # Both submissions would love juror 10, but balance (spread <= 1) comes first.
    problem = AssignmentProblem(
        submissions=[1, 2],
        jurors=[10, 11],
        reviewers_per_submission=1,
        max_per_juror=2,
        preference={(1, 10): 1.0, (2, 10): 1.0},
    )
    plan = solve_assignment(problem)
    assert plan.loads == {10: 1, 11: 1}
    assert plan.balanced
    assert plan.expertise_matches == 1
    assert plan.new_pairs == [(1, 10), (2, 11)] or plan.new_pairs == [(1, 11), (2, 10)]


def test_balance_within_one_when_not_divisible() -> None:
    problem = AssignmentProblem(list(range(1, 8)), [10, 11, 12], 2, 10)
    plan = solve_assignment(problem)
    assert_valid(problem, plan)
    assert sorted(plan.loads.values()) == [4, 5, 5]


def test_unbalanced_fallback_minimises_spread_and_explains() -> None:
    # Juror 12 conflicts with everything, so loads 0 / 2 / 2 is the most even plan.
    problem = AssignmentProblem(
        submissions=[1, 2, 3, 4],
        jurors=[10, 11, 12],
        reviewers_per_submission=1,
        max_per_juror=4,
        conflicts=frozenset((s, 12) for s in (1, 2, 3, 4)),
    )
    plan = solve_assignment(problem)
    assert_valid(problem, plan)
    assert plan.loads == {10: 2, 11: 2, 12: 0}
    assert not plan.balanced
    assert any("balanced loads" in n and "juror 12" in n and "spread 2" in n for n in plan.notes)


def test_unbalanced_because_of_heavy_existing_load() -> None:
    existing = frozenset({(1, 10), (2, 10), (3, 10), (4, 10)})
    problem = AssignmentProblem([1, 2, 3, 4, 5], [10, 11, 12], 1, 5, existing=existing)
    plan = solve_assignment(problem)
    assert_valid(problem, plan)
    assert plan.loads[10] == 4
    assert plan.new_pairs in ([(5, 11)], [(5, 12)])
    assert any("juror 10 already has more than the even share" in n for n in plan.notes)


# --------------------------------------------------------------------------- top-up


def test_top_up_keeps_existing_and_counts_them() -> None:
    existing = frozenset({(1, 10), (1, 11), (2, 10), (3, 12), (3, 13), (3, 14)})
    problem = AssignmentProblem(
        submissions=[1, 2, 3, 4],
        jurors=[10, 11, 12, 13, 14],
        reviewers_per_submission=2,
        max_per_juror=3,
        existing=existing,
    )
    plan = solve_assignment(problem)
    assert_valid(problem, plan)
    assert existing <= set(plan.all_pairs)
    new_by_sub = {s: [j for a, j in plan.new_pairs if a == s] for s in problem.submissions}
    assert new_by_sub[1] == []  # already complete
    assert new_by_sub[3] == []  # already over k: kept as is, nothing added
    assert len(new_by_sub[2]) == 1 and new_by_sub[2][0] != 10
    assert len(new_by_sub[4]) == 2
    assert any("more than 2 jurors" in n and "3" in n for n in plan.notes)


def test_top_up_existing_load_counts_toward_max() -> None:
    existing = frozenset({(1, 10), (2, 10)})
    problem = AssignmentProblem([1, 2, 3], [10, 11], 1, 2, existing=existing)
    plan = solve_assignment(problem)
    assert plan.new_pairs == [(3, 11)]


def test_nothing_to_do() -> None:
    existing = frozenset({(1, 10), (2, 11)})
    problem = AssignmentProblem([1, 2], [10, 11], 1, 2, existing=existing)
    plan = solve_assignment(problem)
    assert plan.new_pairs == []
    assert plan.all_pairs == [(1, 10), (2, 11)]
    assert plan.balanced


# --------------------------------------------------------------------------- infeasibility


def _message(problem: AssignmentProblem) -> str:
    with pytest.raises(InfeasibleAssignment) as err:
        solve_assignment(problem)
    return str(err.value)


def test_message_submission_has_too_few_jurors_without_conflict() -> None:
    problem = AssignmentProblem(
        submissions=[17, 18],
        jurors=[1, 2, 3, 4],
        reviewers_per_submission=3,
        max_per_juror=5,
        conflicts=frozenset({(17, 3), (17, 4)}),
    )
    assert _message(problem) == "submission 17 has only 2 jurors without a conflict (3 needed)"


def test_message_submission_short_lists_the_others() -> None:
    conflicts = frozenset({(5, 1), (6, 1), (7, 1)})
    msg = _message(AssignmentProblem([5, 6, 7], [1, 2], 2, 5, conflicts=conflicts))
    assert msg.startswith("submission 5 has only 1 juror without a conflict (2 needed)")
    assert "same problem for submissions 6 and 7" in msg


def test_message_submission_short_with_existing() -> None:
    problem = AssignmentProblem(
        [17], [1, 2, 3], 3, 5, conflicts=frozenset({(17, 3)}), existing=frozenset({(17, 1)})
    )
    assert _message(problem) == (
        "submission 17 already has 1 juror and needs 2 more, but only 1 other juror has no "
        "conflict with it"
    )


def test_message_jurors_without_room() -> None:
    # Jurors 1 and 2 are full already; submission 9 conflicts with juror 3.
    existing = frozenset({(1, 1), (2, 2)})
    problem = AssignmentProblem(
        [1, 2, 9], [1, 2, 3], 1, 1, conflicts=frozenset({(9, 3)}), existing=existing
    )
    msg = _message(problem)
    assert msg.startswith("submission 9 needs 1 more juror: 2 jurors have no conflict with it")
    assert "only 0 of them have room left" in msg and "maximum of 1" in msg


def test_message_total_capacity() -> None:
    problem = AssignmentProblem(list(range(40)), list(range(100, 108)), 3, 10)
    assert _message(problem).startswith(
        "40 submissions x 3 jurors need 120 reviews but 8 jurors x max 10 allow only 80"
    )


def test_message_total_capacity_with_existing() -> None:
    problem = AssignmentProblem([1, 2], [10, 11, 12], 2, 1, existing=frozenset({(1, 10)}))
    msg = _message(problem)
    assert "still need 3 reviews (besides the 1 already assigned)" in msg
    assert "only 2 free places" in msg


def test_message_hall_bottleneck() -> None:
    # Each submission has 2 conflict-free jurors, and in total there is room, but
    # submissions 1-3 share the same two jurors, who can give only 2 x 2 = 4 of the 6 reviews.
    conflicts = frozenset((s, j) for s in (1, 2, 3) for j in (12, 13))
    problem = AssignmentProblem([1, 2, 3, 4], [10, 11, 12, 13], 2, 2, conflicts=conflicts)
    msg = _message(problem)
    assert msg.startswith(
        "submissions 1, 2 and 3 together still need 6 reviews, but the jurors without a "
        "conflict on them can give only 4 (juror 10: 2 places, juror 11: 2 places)"
    )


def test_message_conflicted_existing_pair() -> None:
    problem = AssignmentProblem(
        [1, 2], [10, 11], 1, 2, conflicts=frozenset({(1, 10)}), existing=frozenset({(1, 10)})
    )
    msg = _message(problem)
    assert "submission 1 / juror 10" in msg and "conflict of interest" in msg


def test_message_existing_over_max() -> None:
    existing = frozenset({(1, 10), (2, 10), (3, 10)})
    msg = _message(AssignmentProblem([1, 2, 3], [10, 11], 1, 2, existing=existing))
    assert msg.startswith("juror 10 already has more assignments than the maximum of 2")


def test_message_existing_unknown_juror() -> None:
    msg = _message(AssignmentProblem([1], [10], 1, 2, existing=frozenset({(1, 99)})))
    assert "juror 99, who is not in the jury pool" in msg


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"reviewers_per_submission": 0}, "reviewers_per_submission"),
        ({"max_per_juror": 0}, "max_per_juror"),
        ({"submissions": [1, 1]}, "submission ids are listed more than once: 1"),
        ({"jurors": [5, 5, 6]}, "juror ids are listed more than once: 5"),
    ],
)
def test_invalid_input(kwargs: dict, text: str) -> None:
    base = AssignmentProblem([1, 2], [5, 6], 1, 2)
    with pytest.raises(ValueError, match=text):
        solve_assignment(replace(base, **kwargs))


def test_infeasible_is_a_value_error() -> None:
    assert issubclass(InfeasibleAssignment, ValueError)


# --------------------------------------------------------------------------- determinism


def test_deterministic_regardless_of_input_order() -> None:
    problem = random_problem(7, 30, 8, 2, 10, 0.15, existing_rate=0.03)
    plan = solve_assignment(problem)
    rng = random.Random(1)
    subs, jurors = list(problem.submissions), list(problem.jurors)
    for _ in range(3):
        rng.shuffle(subs)
        rng.shuffle(jurors)
        shuffled = replace(
            problem,
            submissions=list(subs),
            jurors=list(jurors),
            preference=dict(reversed(list(problem.preference.items()))),
        )
        assert solve_assignment(shuffled) == plan


# --------------------------------------------------------------------------- property tests


@st.composite
def small_problems(draw: st.DrawFn) -> AssignmentProblem:
    n_s = draw(st.integers(1, 6))
    n_j = draw(st.integers(1, 5))
    subs = list(range(1, n_s + 1))
    jurors = list(range(101, 101 + n_j))
    all_pairs = [(s, j) for s in subs for j in jurors]
    # Per-juror conflict level, so some jurors are nearly unusable and balance can fail.
    level = {j: draw(st.sampled_from([0, 1, 1, 3, 5])) for j in jurors}
    conflicts = frozenset(p for p in all_pairs if draw(st.integers(0, 5)) < level[p[1]])
    free = [p for p in all_pairs if p not in conflicts]
    existing = frozenset(p for p in free if draw(st.integers(0, 9)) == 0)
    weights = st.sampled_from([0.0, 0.0, 1.0, 1.0, 0.5, 2.0])
    preference = {p: w for p in all_pairs if (w := draw(weights))}
    # Sometimes a top-up: per-submission targets instead of the uniform k.
    targets = {}
    if draw(st.booleans()):
        targets = {s: draw(st.integers(0, 3)) for s in subs if draw(st.booleans())}
    return AssignmentProblem(
        submissions=draw(st.permutations(subs)),
        jurors=draw(st.permutations(jurors)),
        reviewers_per_submission=draw(st.integers(1, 2)),
        max_per_juror=draw(st.integers(1, 5)),
        conflicts=conflicts,
        existing=existing,
        preference=preference,
        targets=targets,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_matches_brute_force(problem: AssignmentProblem) -> None:
    expected = brute_force(problem)
    if expected is None:
        with pytest.raises(InfeasibleAssignment) as err:
            solve_assignment(problem)
        msg = str(err.value)
        if "together still need" in msg:  # Hall-type message: the numbers must show the gap
            need = int(msg.split("together still need ")[1].split()[0])
            can = int(msg.split("can give only ")[1].split()[0])
            assert need > can
        assert msg
        return
    plan = solve_assignment(problem)
    assert_valid(problem, plan)
    best_spread, best_floor, best_value = expected
    assert spread_of(plan) == best_spread
    assert plan.balanced == (best_spread <= 1)
    assert plan.expert_floor == best_floor
    assert plan.objective == pytest.approx(best_value)
    assert solve_assignment(problem) == plan  # same input, same plan


@pytest.mark.parametrize(
    ("seed", "n_s", "n_j", "k", "m", "conflict_rate", "existing_rate"),
    [
        (1, 25, 8, 3, 12, 0.1, 0.0),
        (2, 30, 7, 2, 12, 0.3, 0.05),
        (3, 20, 9, 3, 10, 0.45, 0.0),
        (4, 35, 6, 2, 15, 0.2, 0.1),
        (5, 18, 10, 2, 6, 0.55, 0.0),
        (6, 40, 9, 3, 20, 0.25, 0.02),
    ],
)
def test_matches_independent_milp(
    seed: int, n_s: int, n_j: int, k: int, m: int, conflict_rate: float, existing_rate: float
) -> None:
    problem = random_problem(seed, n_s, n_j, k, m, conflict_rate, existing_rate)
    expected = milp_reference(problem)
    if expected is None:
        with pytest.raises(InfeasibleAssignment):
            solve_assignment(problem)
        return
    plan = solve_assignment(problem)
    assert_valid(problem, plan)
    assert spread_of(plan) == expected[0]
    assert plan.expert_floor == expected[1]
    assert plan.objective == pytest.approx(expected[2])


def test_unbalanced_instance_matches_milp() -> None:
    # Two jurors conflict with most submissions: balance is impossible, spread is minimised.
    rng = random.Random(3)
    base = random_problem(11, 30, 8, 2, 12, 0.05)
    extra = {(s, j) for s in base.submissions for j in base.jurors[:2] if rng.random() < 0.9}
    problem = replace(base, conflicts=base.conflicts | extra)
    expected = milp_reference(problem)
    assert expected is not None and expected[0] > 1
    plan = solve_assignment(problem)
    assert_valid(problem, plan)
    assert not plan.balanced
    assert spread_of(plan) == expected[0]
    assert plan.expert_floor == expected[1]
    assert plan.objective == pytest.approx(expected[2])


def full_lp_optimum(problem: AssignmentProblem, lo: int, hi: int) -> float:
    """Plain full LP (every pair a column) inside the load band, for the pricing test."""
    return full_lp(problem, lo, hi).optimum


@pytest.mark.parametrize("candidates", [0, 1, 4])
def test_column_generation_reaches_full_lp_optimum(
    monkeypatch: pytest.MonkeyPatch, candidates: int
) -> None:
    # With few (or no) initial candidate pairs the pricing loop must still find the optimum.
    monkeypatch.setattr(assignment_lp, "_CANDIDATES_PER_NEED", candidates)
    problem = random_problem(21, 150, 40, 3, 20, 0.1, float_weights=True)
    plan = solve_assignment(problem)
    assert_valid(problem, plan)
    total = 150 * 3
    lo, hi = total // 40, -(-total // 40)
    assert plan.balanced
    assert plan.objective == pytest.approx(full_lp_optimum(problem, lo, hi), abs=1e-6)


def test_medium_instance_is_valid_and_not_worse_than_greedy() -> None:
    from tests.perf.bench_assignment import make_problem

    problem = make_problem(n_submissions=300, n_jurors=45, seed=5, existing_share=0.2)
    plan = solve_assignment(problem)
    assert_valid(problem, plan)
    assert plan.balanced
    greedy = greedy_assignment(problem)
    assert_valid(problem, greedy)
    assert plan.objective >= greedy.objective


# --------------------------------------------------------------------------- fairness (issue 13)


def expert_readers(problem: AssignmentProblem, plan: AssignmentPlan) -> dict[int, int]:
    count = dict.fromkeys(problem.submissions, 0)
    for s, j in plan.all_pairs:
        count[s] += problem.preference.get((s, j), 0.0) > 0
    return count


def test_tight_instance_every_entry_gets_two_expert_readers_at_the_same_total() -> None:

    problem = make_tight_problem(seed=1)  # 300 entries, 40 jurors, 98% capacity, 44% conflicts
    plan = solve_assignment(problem)
    assert_valid(problem, plan)
    assert plan.balanced and set(plan.loads.values()) == {22, 23}
    assert min(expert_readers(problem, plan).values()) >= 2
    assert plan.expert_floor >= 2
    best_total, previous, _ = total_only_plan(problem, 22, 23)
    assert plan.objective == pytest.approx(best_total)  # the floor costs no expertise here
    assert previous.min() < 2  # maximising the total alone left entries short
    note = next(n for n in plan.notices if n.code == "expert_floor")
    assert note.params["floor"] == plan.expert_floor


def test_one_jurors_conflicts_do_not_spread_the_ordinary_jurors_loads() -> None:
    problem = blocked_juror_problem()
    plan = solve_assignment(problem)
    assert_valid(problem, plan)
    assert plan.loads[1] == 5  # all the blocked juror can take
    ordinary = [load for j, load in plan.loads.items() if j != 1]
    assert max(ordinary) - min(ordinary) <= 1  # (621 - 5) / 30 = 20.5: 20 or 21 each
    assert set(ordinary) == {20, 21}
    note = next(n for n in plan.notices if n.code == "loads_unbalanced")
    assert "juror 1 can reach only 5 reviews" in note.message
    assert note.params["ordinary"] == [20, 21]
    # The previous objective (total expertise inside the band [5, 21]) spread them widely.
    _, _, previous = total_only_plan(problem, 5, 21)
    assert previous[1:].max() - previous[1:].min() > 1


def test_a_top_up_adds_readers_only_where_asked_and_keeps_loads_even() -> None:
    existing = frozenset((s, j) for s in range(1, 13) for j in (10 + s % 4, 10 + (s + 1) % 4))
    base = AssignmentProblem(list(range(1, 13)), [10, 11, 12, 13, 14], 2, 8, existing=existing)
    problem = top_up_problem(base, {3: 2, 7: 1})
    plan = solve_assignment(problem)
    assert_valid(problem, plan)
    assert sorted(s for s, _ in plan.new_pairs) == [3, 3, 7]
    assert plan.loads[14] == 2  # the juror with no entry yet takes one review of each
    only = solve_assignment(top_up_problem(base, {3: 1}, readers={12}))
    assert only.new_pairs == [(3, 12)]
    with pytest.raises(ValueError, match="outside the round"):
        top_up_problem(base, {99: 1})


def test_reasons_and_notes_carry_a_code_and_parameters() -> None:
    problem = AssignmentProblem([17, 18], [1, 2, 3, 4], 3, 5, frozenset({(17, 3), (17, 4)}))
    with pytest.raises(InfeasibleAssignment) as err:
        solve_assignment(problem)
    notice = err.value.notice
    assert notice.code == "too_few_jurors_without_conflict"
    assert notice.params == {"submission": 17, "needed": 3, "available": 2, "also": []}
    assert str(err.value) == notice.message
    plan = solve_assignment(
        AssignmentProblem([1, 2], [10, 11], 1, 2, existing=frozenset({(1, 10)}))
    )
    assert [n.code for n in plan.notices] == ["existing_kept"]
    assert plan.notes == [n.message for n in plan.notices]
