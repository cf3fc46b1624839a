"""Simulations against a known truth: do the intervals cover, do extra reviews settle the cut?

Pure (numpy + pandas; the assignment solver for the top-ups; no Django). Rounds are drawn
by ``scoring.synthetic`` (true quality, juror severity, noise), so every figure can be
checked against the truth: the test suite runs these at a size fit for CI and
``make bench`` at full size (tests/perf/bench_aggregation.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jury.assignment import AssignmentProblem, solve_assignment, top_up_problem

from .aggregation import rank_submissions
from .cut import choose_extra_reviews, shortlist
from .synthetic import score_pairs, synthetic_scores
from .uncertainty import bootstrap_ranking


@dataclass(frozen=True)
class Shape:
    entries: int
    jurors: int
    sheets: int
    criteria: int = 4
    panels: int = 1

    def draw(self, seed: int):
        return synthetic_scores(
            self.entries, self.jurors, self.sheets, self.criteria, seed, panels=self.panels
        )


AWARD = Shape(40, 8, 3)  # the Metropolis Award: 40 entries, 8 jurors, 3 readers each


@dataclass(frozen=True)
class Coverage:
    method: str
    coverage: float  # share of entries whose interval holds their true rank
    mean_width: float  # rank_high - rank_low, averaged over entries
    median_width: float
    intervals: int  # entries x rounds


def rank_coverage(
    shape: Shape,
    method: str,
    seeds: Iterable[int],
    *,
    n_resamples: int = 1000,
    rank_level: float = 0.90,
) -> Coverage:
    """How often the ``rank_level`` rank interval holds the true rank, over rounds."""
    covered, widths = [], []
    for seed in seeds:
        values, weights, truth = shape.draw(seed)
        boot = bootstrap_ranking(
            values,
            weights,
            truth.scale,
            method,
            n_resamples=n_resamples,
            seed=seed,
            rank_level=rank_level,
        )
        table = boot.table
        true_rank = truth.true_ranks(table.index)
        low, high = table["rank_low"].to_numpy(), table["rank_high"].to_numpy()
        covered.append((low <= true_rank) & (true_rank <= high))
        widths.append(high - low)
    hits, width = np.concatenate(covered), np.concatenate(widths)
    return Coverage(
        method, float(hits.mean()), float(width.mean()), float(np.median(width)), hits.size
    )


@dataclass(frozen=True)
class CutOutcome:
    strategy: str  # "none", "targeted" or "random"
    right_shortlist: float  # share of rounds whose top N is exactly the true top N
    misplaced: float  # entries in the chosen top N that are not in the true one, on average


def cut_study(
    shape: Shape,
    seeds: Iterable[int],
    *,
    top_n: int = 10,
    extra: int = 8,
    method: str = "fixed_effects",
    n_resamples: int = 1000,
) -> list[CutOutcome]:
    """Per round: rank, then add ``extra`` reviews chosen at the cut
    (``choose_extra_reviews`` on the bootstrap's top-N odds) or spread at random (one each
    on as many random entries), each placed by the solver's top-up and scored from the
    truth; compare the top N with the true top N."""
    tallies: dict[str, list[tuple[bool, int]]] = {"none": [], "targeted": [], "random": []}
    for seed in seeds:
        values, weights, truth = shape.draw(seed)
        truth_rank = pd.Series(truth.true_ranks(truth.quality.index), truth.quality.index)
        true_top = shortlist(truth_rank, top_n)
        boot = bootstrap_ranking(
            values, weights, truth.scale, method, n_resamples=n_resamples, seed=seed, top_n=top_n
        )
        p_top, n_sheets = boot.top_probability, boot.table["n_sheets"]
        free = {s: shape.jurors - int(n) for s, n in n_sheets.items()}
        rng = np.random.default_rng(seed)
        picks = {
            "none": {},
            "targeted": choose_extra_reviews(p_top, n_sheets, extra, free),
            "random": dict.fromkeys(rng.choice(p_top.index.to_numpy(), extra, replace=False), 1),
        }
        for strategy, chosen in picks.items():
            more = values
            if chosen:
                pairs = _top_up(values, shape, {int(s): n for s, n in chosen.items()})
                # The same draw of noise for both strategies' new sheets.
                new = score_pairs(truth, pairs, np.random.default_rng([seed, 1]))
                more = pd.concat([values, new], ignore_index=True)
            rank = rank_submissions(more, weights, truth.scale, method, "median_then_firsts")
            picked = shortlist(rank.table["rank"], top_n)
            tallies[strategy].append((picked == true_top, len(picked - true_top)))
    return [
        CutOutcome(
            strategy,
            float(np.mean([right for right, _ in rows])),
            float(np.mean([wrong for _, wrong in rows])),
        )
        for strategy, rows in tallies.items()
    ]


def _top_up(values: pd.DataFrame, shape: Shape, extra: dict[int, int]) -> list[tuple[int, int]]:
    """The solver's top-up placing the extra reviews (loads kept even)."""
    existing = frozenset(
        (int(s), int(j))
        for s, j in values[["submission", "juror"]].drop_duplicates().itertuples(index=False)
    )
    loads = pd.Series([j for _, j in existing]).value_counts()
    base = AssignmentProblem(
        submissions=list(range(1, shape.entries + 1)),
        jurors=list(range(1, shape.jurors + 1)),
        reviewers_per_submission=shape.sheets,
        max_per_juror=int(loads.max()) + sum(extra.values()),
        existing=existing,
    )
    return solve_assignment(top_up_problem(base, extra)).new_pairs
