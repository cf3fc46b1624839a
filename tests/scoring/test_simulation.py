"""Simulations against a known truth, at a size fit for CI (full sizes in `make bench`).

Seeded, so they are deterministic; each takes a few seconds.
"""

from __future__ import annotations

import pytest

from scoring.aggregation import METHODS
from scoring.simulation import AWARD, cut_study, rank_coverage


@pytest.mark.parametrize("method", METHODS)
def test_90_percent_rank_intervals_cover_the_true_rank_87_to_95_percent(method):
    """25 rounds of the award's shape (40 entries x 8 jurors x 3 readers): 1,000 intervals.
    The bootstrap that resampled each entry's own sheets covered 78-83% here."""
    result = rank_coverage(AWARD, method, range(25))
    assert result.intervals == 1000
    assert 0.87 <= result.coverage <= 0.95, result
    assert result.mean_width < 15  # out of 40 ranks: informative, not everything


def test_extra_reviews_at_the_cut_settle_the_shortlist_better_than_random_ones():
    """40 award-shaped rounds, shortlist of 10, 12 extra reviews placed by the solver's
    top-up: chosen at the cut from the bootstrap's odds, or one each on random entries."""
    outcome = {o.strategy: o for o in cut_study(AWARD, range(40), top_n=10, extra=12)}
    targeted, spread, none = outcome["targeted"], outcome["random"], outcome["none"]
    assert targeted.misplaced < spread.misplaced - 0.1
    assert targeted.misplaced < none.misplaced - 0.1
    assert targeted.right_shortlist > spread.right_shortlist
    assert targeted.right_shortlist > none.right_shortlist
