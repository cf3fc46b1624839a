"""The assignment problem as the caller states it, checked and turned into arrays.

Pure (numpy, no Django). ``prepare`` validates an ``AssignmentProblem`` (raising
``InfeasibleAssignment`` with a plain-words reason when existing assignments already
break a rule) and encodes it as dense (submissions x jurors) masks in id order, which the
flow, LP and explanation modules of the solver share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from submissions.notices import Notice

from . import assignment_explain as explain


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
    # submission -> total readers wanted, overriding reviewers_per_submission (a top-up of
    # chosen entries: see jury.assignment.top_up_problem)
    targets: Mapping[int, int] = field(default_factory=dict)


class InfeasibleAssignment(ValueError):
    """No plan satisfies the rules; the message explains why in plain words and
    ``notice`` carries the same as a code with parameters."""

    def __init__(self, notice: Notice) -> None:
        super().__init__(notice.message)
        self.notice = notice


@dataclass
class Prepared:
    problem: AssignmentProblem
    sub_ids: list[int]  # sorted
    jur_ids: list[int]  # sorted
    k: int
    m: int
    target: np.ndarray  # (S,) readers wanted per submission
    has_targets: bool
    existing_per_sub: np.ndarray  # (S,)
    existing_load: np.ndarray  # (J,)
    need: np.ndarray  # (S,) reviews still to place per submission
    capacity: np.ndarray  # (J,) free places per juror
    free_of_conflict: np.ndarray  # (S, J) not conflicted and not already assigned
    allowed: np.ndarray  # (S, J) free_of_conflict, submission needs more, juror has room
    weight: np.ndarray  # (S, J) preference
    expert: np.ndarray  # (S, J) preference > 0 (an "expert reader")
    existing_expert: np.ndarray  # (S,) expert readers among the existing assignments
    notes: list[Notice]

    @property
    def total_need(self) -> int:
        return int(self.need.sum())

    @property
    def total_load(self) -> int:
        return int(self.existing_load.sum()) + self.total_need

    @property
    def reach(self) -> np.ndarray:
        """Per juror: the highest load the conflicts and the maximum allow on their own."""
        return self.existing_load + np.minimum(self.capacity, self.allowed.sum(axis=0))

    def possible_experts(self) -> np.ndarray:
        """Per submission: the most expert readers it can have (existing ones, plus free
        expert jurors without a conflict, within the readers it still needs)."""
        free = (self.expert & self.allowed).sum(axis=1)
        return np.minimum(self.target, self.existing_expert + np.minimum(self.need, free))


def _check_count(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {value!r}")
    return int(value)


def prepare(problem: AssignmentProblem) -> Prepared:
    k = _check_count("reviewers_per_submission", problem.reviewers_per_submission, 1)
    m = _check_count("max_per_juror", problem.max_per_juror, 1)
    # Sorting once makes every later tie (candidate order, LP column order) follow id order,
    # so the plan does not depend on how the caller ordered its sequences or sets.
    sub_ids, jur_ids = sorted(problem.submissions), sorted(problem.jurors)
    for label, ids in (("submission", sub_ids), ("juror", jur_ids)):
        dupes = sorted({a for a, b in pairwise(ids) if a == b})
        if dupes:
            raise ValueError(f"{label} ids are listed more than once: {explain.id_list(dupes)}")
    s_index = {s: i for i, s in enumerate(sub_ids)}
    j_index = {j: i for i, j in enumerate(jur_ids)}
    n_s, n_j = len(sub_ids), len(jur_ids)
    target = np.full(n_s, k, dtype=np.int64)
    for s, wanted in problem.targets.items():
        if s in s_index:
            target[s_index[s]] = _check_count(f"target of submission {s}", wanted, 0)

    conflicted = np.zeros((n_s, n_j), dtype=bool)
    for s, j in problem.conflicts:
        # Conflicts about people/submissions outside this round are irrelevant here.
        if s in s_index and j in j_index:
            conflicted[s_index[s], j_index[j]] = True

    assigned = np.zeros((n_s, n_j), dtype=bool)
    for s, j in sorted(problem.existing):
        if s not in s_index:
            raise InfeasibleAssignment(explain.existing_elsewhere("submission", s, j))
        if j not in j_index:
            raise InfeasibleAssignment(explain.existing_elsewhere("juror", s, j))
        assigned[s_index[s], j_index[j]] = True
    bad = np.argwhere(assigned & conflicted)
    if bad.size:
        pairs = [(sub_ids[a], jur_ids[b]) for a, b in bad]
        raise InfeasibleAssignment(explain.existing_conflicts(pairs))

    existing_per_sub = assigned.sum(axis=1).astype(np.int64)
    existing_load = assigned.sum(axis=0).astype(np.int64)
    over = [jur_ids[i] for i in np.flatnonzero(existing_load > m)]
    if over:
        raise InfeasibleAssignment(explain.existing_over_max(over, int(existing_load.max()), m))

    weight = np.zeros((n_s, n_j), dtype=np.float64)
    for (s, j), w in problem.preference.items():
        if s in s_index and j in j_index:
            w = float(w)
            if not math.isfinite(w):
                raise ValueError(f"preference for submission {s} / juror {j} is not finite")
            weight[s_index[s], j_index[j]] = w

    need = np.maximum(0, target - existing_per_sub)
    capacity = m - existing_load
    free_of_conflict = ~conflicted & ~assigned
    allowed = free_of_conflict & (need > 0)[:, None] & (capacity > 0)[None, :]
    expert = weight > 0
    prep = Prepared(
        problem=problem,
        sub_ids=sub_ids,
        jur_ids=jur_ids,
        k=k,
        m=m,
        target=target,
        has_targets=bool(problem.targets),
        existing_per_sub=existing_per_sub,
        existing_load=existing_load,
        need=need,
        capacity=capacity,
        free_of_conflict=free_of_conflict,
        allowed=allowed,
        weight=weight,
        expert=expert,
        existing_expert=(assigned & expert).sum(axis=1).astype(np.int64),
        notes=[],
    )
    prep.notes.extend(explain.preparation_notes(prep, len(problem.existing)))
    return prep
