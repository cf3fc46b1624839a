"""The assignment's plain full LP, a reference for the solver's tests and benchmarks: every
allowed pair a column, each entry read `reviewers_per_submission` times, every load in
[lo, hi], the total preference maximised (HiGHS)."""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import OptimizeResult, linprog

from jury.assignment import AssignmentProblem


@dataclass(frozen=True)
class FullLP:
    pairs: list[tuple[int, int]]
    rows: list[int]  # the entry of each pair, as an index into the sorted entries
    columns: list[int]  # the juror of each pair, as an index into the sorted jurors
    preference: np.ndarray
    result: OptimizeResult

    @property
    def optimum(self) -> float:
        return -self.result.fun


def full_lp(problem: AssignmentProblem, lo: int, hi: int) -> FullLP:
    subs, jurors = sorted(problem.submissions), sorted(problem.jurors)
    pairs = [(s, j) for s in subs for j in jurors if (s, j) not in problem.conflicts]
    n = len(pairs)
    si = {s: i for i, s in enumerate(subs)}
    ji = {j: i for i, j in enumerate(jurors)}
    rows = [si[s] for s, _ in pairs]
    columns = [ji[j] for _, j in pairs]
    a_eq = sp.csr_matrix((np.ones(n), (rows, range(n))), shape=(len(subs), n))
    a_j = sp.csr_matrix((np.ones(n), (columns, range(n))), shape=(len(jurors), n))
    preference = np.array([problem.preference.get(p, 0.0) for p in pairs])
    result = linprog(
        -preference,
        A_ub=sp.vstack([a_j, -a_j]),
        b_ub=np.concatenate([np.full(len(jurors), hi), np.full(len(jurors), -lo)]),
        A_eq=a_eq,
        b_eq=np.full(len(subs), problem.reviewers_per_submission),
        bounds=(0, 1),
        method="highs",
    )
    assert result.status == 0
    return FullLP(pairs, rows, columns, preference, result)
