"""Bootstrap intervals: resampling correctness, reproducibility, and interval sanity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import rankdata

from scoring.aggregation import (
    METHODS,
    design_from_totals,
    group_statistic,
    method_contributions,
    rank_submissions,
    sheet_totals,
)
from scoring.synthetic import synthetic_scores
from scoring.uncertainty import (
    BOOTSTRAP_COLUMNS,
    bootstrap_ranking,
    bootstrap_totals,
    competition_ranks,
    resample_keys,
    sheet_statistic,
)

SCALE = (0.0, 10.0)


def totals_frame(rows):
    return pd.DataFrame(rows, columns=["submission", "juror", "total"])


@pytest.fixture(scope="module")
def small_round():
    return synthetic_scores(40, 10, 4, 3, seed=3)


def test_same_seed_same_result_and_different_seed_differs(small_round):
    values, weights, truth = small_round
    a = bootstrap_ranking(values, weights, truth.scale, "fixed_effects", seed=42)
    b = bootstrap_ranking(values, weights, truth.scale, "fixed_effects", seed=42)
    c = bootstrap_ranking(values, weights, truth.scale, "fixed_effects", seed=43)
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    assert not a.table[["score_low", "score_high"]].equals(c.table[["score_low", "score_high"]])


@pytest.mark.parametrize("method", METHODS)
def test_point_estimates_match_rank_submissions_and_intervals_are_ordered(small_round, method):
    values, weights, truth = small_round
    result = bootstrap_ranking(values, weights, truth.scale, method, seed=1)
    point = rank_submissions(values, weights, truth.scale, method).table
    table = result.table
    assert tuple(table.columns) == BOOTSTRAP_COLUMNS
    pd.testing.assert_series_equal(table["score"], point["score"])
    pd.testing.assert_series_equal(table["rank"], point["rank"])
    assert (table["score_low"] <= table["score_high"]).all()
    assert (table["rank_low"] <= table["rank_high"]).all()
    assert table["rank_low"].between(1, len(table)).all()
    assert table["rank_high"].between(1, len(table)).all()
    # Each submission's score lies in its interval (up to ties at the percentile).
    inside = (table["score_low"] - 1e-9 <= table["score"]) & (
        table["score"] <= table["score_high"] + 1e-9
    )
    assert inside.mean() > 0.9


def test_resampling_draws_only_a_submissions_own_sheets_with_the_right_frequencies():
    # X has sheets 0 and 10: a resampled mean is 0, 5 or 10 with probability 1/4, 1/2, 1/4.
    totals = totals_frame([("X", "a", 0.0), ("X", "b", 10.0),
                           ("Y", "a", 3.0), ("Y", "b", 4.0), ("Y", "c", 5.0)])  # fmt: skip
    d = design_from_totals(totals)
    keys = resample_keys(d, d.total, "mean", 20_000, seed=5)
    x, y = keys[:, 0], keys[:, 1]
    assert set(np.unique(x)) == {0.0, 5.0, 10.0}
    assert np.mean(x == 0) == pytest.approx(0.25, abs=0.015)
    assert np.mean(x == 5) == pytest.approx(0.50, abs=0.015)
    # Y's resampled means are means of three of its own sheets: in [3, 5], multiples of 1/3.
    assert ((y >= 3) & (y <= 5)).all()
    assert np.allclose(np.round(y * 3), y * 3)
    assert np.mean(y) == pytest.approx(4.0, abs=0.02)
    # Variance of a bootstrap mean of n sheets = plug-in variance / n = (2/3) / 3.
    assert np.var(y) == pytest.approx(2 / 9, rel=0.05)


def test_percentile_interval_and_single_sheet_warning():
    totals = totals_frame([("X", "a", 0.0), ("X", "b", 10.0), ("Z", "a", 6.0)])
    result = bootstrap_totals(totals, SCALE, "mean", n_resamples=2000, seed=0)
    table = result.table
    # P(mean = 0) = 1/4 > 2.5%, so both percentile bounds sit on the extreme values.
    assert (table.loc["X", "score_low"], table.loc["X", "score_high"]) == (0.0, 10.0)
    assert table.loc["Z", ["score_low", "score", "score_high"]].tolist() == [6.0, 6.0, 6.0]
    assert any("zero width" in w for w in result.warnings)


def test_rank_interval_of_a_clear_winner_and_loser():
    rows = [(s, j, float(v + k % 2)) for s, v in (("top", 8), ("mid1", 4), ("mid2", 4),
            ("low", 0)) for k, j in enumerate(("a", "b", "c"))]  # fmt: skip
    table = bootstrap_totals(totals_frame(rows), SCALE, "mean", seed=2).table
    assert table.loc["top", ["rank_low", "rank_high"]].tolist() == [1, 1]
    assert table.loc["low", ["rank_low", "rank_high"]].tolist() == [4, 4]
    assert table.loc["mid1", "rank_low"] == 2 and table.loc["mid1", "rank_high"] == 3


def test_rank_interval_levels_are_respected():
    # Two submissions whose order flips often: a wider level cannot give a narrower interval.
    rows = [("p", "a", 2.0), ("p", "b", 8.0), ("q", "a", 4.0), ("q", "b", 6.0)]
    narrow = bootstrap_totals(totals_frame(rows), SCALE, "mean", seed=4, rank_level=0.2).table
    wide = bootstrap_totals(totals_frame(rows), SCALE, "mean", seed=4, rank_level=0.9).table
    assert (wide["rank_low"] <= narrow["rank_low"]).all()
    assert (wide["rank_high"] >= narrow["rank_high"]).all()
    assert wide.loc["p", ["rank_low", "rank_high"]].tolist() == [1, 2]


def test_invalid_arguments():
    totals = totals_frame([("X", "a", 1.0)])
    with pytest.raises(ValueError, match="at least 1000"):
        bootstrap_totals(totals, SCALE, "mean", n_resamples=999)
    with pytest.raises(ValueError, match="between 0 and 1"):
        bootstrap_totals(totals, SCALE, "mean", score_level=1.0)
    with pytest.raises(ValueError, match="valid methods"):
        bootstrap_totals(totals, SCALE, "mode")


def test_empty_round():
    empty = pd.DataFrame(columns=["submission", "juror", "criterion", "value"])
    result = bootstrap_ranking(empty, {"q": 1.0}, SCALE, "mean", seed=0)
    assert result.table.empty
    assert tuple(result.table.columns) == BOOTSTRAP_COLUMNS


@settings(max_examples=100, deadline=None)
@given(
    sample=st.integers(1, 9).flatmap(
        lambda n: arrays(np.float64, (n, 3, 4), elements=st.integers(0, 20).map(lambda v: v / 2))
    ),
    statistic=st.sampled_from(["mean", "median", "trimmed"]),
)
def test_vectorised_statistic_matches_the_per_group_statistic(sample, statistic):
    """The bootstrap's statistic over the sheet axis equals the point-estimate one."""
    n = sample.shape[0]
    flat = sample.reshape(n, -1)  # column = one submission's n sheets
    groups = np.repeat(np.arange(flat.shape[1]), n)
    expected = group_statistic(flat.T.ravel(), groups, flat.shape[1], statistic)
    got = sheet_statistic(sample, statistic).ravel()
    assert got == pytest.approx(expected)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 12)),
              elements=st.integers(0, 6).map(float)))  # fmt: skip
def test_competition_ranks_match_scipy(keys):
    assert (competition_ranks(keys) == rankdata(-keys, method="min", axis=1)).all()


@pytest.mark.parametrize("method", ["zscore", "fixed_effects", "borda"])
def test_adjusted_methods_resample_the_full_fit_contributions(small_round, method):
    """Bootstrap keys average to the point key: the per-sheet contributions (z, adjusted
    total, Borda points) come from the full fit and only their sampling is repeated."""
    values, weights, truth = small_round
    d = design_from_totals(sheet_totals(values, weights))
    contrib = method_contributions(d, truth.scale, method)
    point = group_statistic(contrib.values, d.sub, d.n_submissions, "mean")
    keys = resample_keys(d, contrib.values, "mean", 4000, seed=9)
    spread = keys.std(axis=0)
    assert (spread > 0).mean() > 0.9
    assert np.abs(keys.mean(axis=0) - point) == pytest.approx(0, abs=0.1 * spread.max())
    # With n sheets the bootstrap sd is the plug-in sd / sqrt(n).
    n = d.sheets_per_submission()
    plug_in = pd.Series(contrib.values).groupby(d.sub).std(ddof=0).to_numpy()
    assert spread == pytest.approx(plug_in / np.sqrt(n), rel=0.1, abs=1e-12)
