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
from scoring.fixed_effects import fit_design, variance_components
from scoring.replicates import ReplicateKeys
from scoring.synthetic import synthetic_scores
from scoring.uncertainty import (
    BOOTSTRAP_COLUMNS,
    bootstrap_ranking,
    bootstrap_totals,
    competition_ranks,
    noise_model,
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


def test_replicates_draw_the_models_noise_around_the_fitted_values():
    """Each replicate total = fitted quality + fitted severity + a pooled residual (rescaled
    to an unbiased error variance) + a severity draw: for the mean of n sheets by n
    different jurors the replicate variance is (error + severity variance) / n."""
    values, weights, truth = synthetic_scores(400, 40, 4, 3, seed=21)
    d = design_from_totals(sheet_totals(values, weights))
    fit = fit_design(d)
    noise = noise_model(d, fit)
    vc = variance_components(d, fit)
    assert noise.error_sd**2 == pytest.approx(vc.error)
    assert np.mean(noise.residual_pool**2) == pytest.approx(vc.error)
    assert noise.severity_sd**2 == pytest.approx(vc.juror)
    draws = noise.draw(d, np.random.default_rng(3), 3000)
    assert draws.mean(axis=1) == pytest.approx(noise.fitted, abs=0.15)
    keys = ReplicateKeys(d, truth.scale, "mean").keys(draws)
    expected = (vc.error + vc.juror) / d.sheets_per_submission()
    assert np.median(keys.var(axis=1) / expected) == pytest.approx(1.0, abs=0.05)


def test_a_single_sheet_entry_gets_the_pooled_noise_not_a_zero_width_interval():
    # Z has one sheet: resampling its own sheets would give a zero-width interval; the
    # model gives it the noise every other sheet shows.
    rows = [(s, j, float(v + (k % 3) - 1)) for s, v in (("A", 7), ("B", 5), ("C", 3))
            for k, j in enumerate(("a", "b", "c"))]  # fmt: skip
    rows += [("Z", "a", 6.0)]
    table = bootstrap_totals(totals_frame(rows), SCALE, "mean", seed=0).table
    assert table.loc["Z", "score_high"] - table.loc["Z", "score_low"] > 1.0
    assert table.loc["Z", "rank_low"] < table.loc["Z", "rank_high"]


def test_rank_interval_of_a_clear_winner_and_loser():
    rng = np.random.default_rng(2)
    rows = [(s, j, float(v + rng.normal(0, 0.3))) for s, v in (("top", 9), ("mid1", 5),
            ("mid2", 5.1), ("low", 1)) for j in ("a", "b", "c", "d")]  # fmt: skip
    table = bootstrap_totals(totals_frame(rows), SCALE, "mean", seed=2).table
    assert table.loc["top", ["rank_low", "rank_high"]].tolist() == [1, 1]
    assert table.loc["low", ["rank_low", "rank_high"]].tolist() == [4, 4]
    for mid in ("mid1", "mid2"):
        assert table.loc[mid, ["rank_low", "rank_high"]].tolist() == [2, 3]


def test_a_table_without_disagreement_gives_exact_ranks():
    # Perfectly additive sheets (juror b always one point above): no residual noise, and a
    # severity shift moves every entry of a complete design alike.
    rows = [(s, j, float(v + k % 2)) for s, v in (("top", 8), ("mid", 4), ("low", 0))
            for k, j in enumerate(("a", "b", "c"))]  # fmt: skip
    table = bootstrap_totals(totals_frame(rows), SCALE, "mean", seed=2).table
    assert table["rank_low"].tolist() == table["rank_high"].tolist() == [1, 2, 3]


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
    with pytest.raises(ValueError, match="top_n"):
        bootstrap_totals(totals, SCALE, "mean", top_n=0)


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


@st.composite
def small_rounds(draw):
    """A random connected-or-not round of sheet totals (halves, so ties happen)."""
    n_sub, n_jur = draw(st.integers(2, 6)), draw(st.integers(1, 4))
    rows = []
    for s in range(n_sub):
        jurors = draw(st.sets(st.integers(0, n_jur - 1), min_size=1, max_size=n_jur))
        rows += [(s, j, draw(st.integers(0, 20)) / 2) for j in sorted(jurors)]
    return totals_frame(rows)


@settings(max_examples=60, deadline=None)
@given(totals=small_rounds(), method=st.sampled_from(METHODS))
def test_replicate_keys_recompute_each_method_in_full(totals, method):
    """The vectorised refit (fixed effects refitted, z-scores re-standardised, Borda points
    re-ranked, medians re-sorted) gives, on the real table, the method's own key."""
    d = design_from_totals(totals)
    contrib = method_contributions(d, SCALE, method)
    expected = group_statistic(contrib.values, d.sub, d.n_submissions, contrib.statistic)
    got = ReplicateKeys(d, SCALE, method).keys(np.column_stack([d.total, d.total]))
    # For borda the replicate ranks ties apart (identically in every replicate, so the
    # centred deviations are unchanged); without ties the points are the method's.
    tied = pd.Series(d.total).groupby(d.jur).apply(lambda t: t.duplicated().any()).any()
    if method == "borda" and tied:
        return
    assert got[:, 0] == pytest.approx(expected, abs=1e-9)
    assert got[:, 1] == pytest.approx(expected, abs=1e-9)


def test_an_isolated_entry_spans_every_rank_and_has_unknown_odds():
    rows = [(s, j, v) for s, v in (("A", 8.0), ("B", 6.0), ("C", 4.0)) for j in ("a", "b")]
    rows += [("solo", "lone", 10.0)]  # read by a juror who read nothing else
    for method in METHODS:
        result = bootstrap_totals(totals_frame(rows), SCALE, method, seed=1, top_n=1)
        table = result.table
        assert table.loc["solo", "isolated"] and not table.loc["A", "isolated"]
        assert table.loc["solo", ["rank_low", "rank_high"]].tolist() == [1, 4]
        full = [0.0, 1.0] if method == "borda" else list(SCALE)
        assert table.loc["solo", ["score_low", "score_high"]].tolist() == full
        assert np.isnan(result.top_probability["solo"])
        assert any(n.code == "isolated_submissions" for n in result.notices)


def test_top_n_probability_from_the_same_replicates():
    rng = np.random.default_rng(5)
    quality = {"a": 9.0, "b": 6.1, "c": 6.0, "d": 2.0}
    rows = [(s, j, q + rng.normal(0, 0.8)) for s, q in quality.items() for j in "uvwx"]
    result = bootstrap_totals(totals_frame(rows), SCALE, "fixed_effects", seed=3, top_n=2)
    p = result.top_probability
    assert p["a"] == 1.0 and p["d"] == 0.0
    assert 0.1 < p["b"] < 0.9 and 0.1 < p["c"] < 0.9
    # Two places, each replicate fills them (no ties with continuous noise).
    assert p.sum() == pytest.approx(2.0)
    assert list(p.index) == list(result.table.index)


def test_too_few_sheets_to_estimate_the_noise_widens_and_says_so():
    rows = [("A", "a", 8.0), ("B", "b", 6.0), ("C", "a", 4.0)]  # no residual df
    result = bootstrap_totals(totals_frame(rows), SCALE, "mean", seed=1)
    assert any(n.code == "noise_not_estimable" for n in result.notices)
    assert (result.table["rank_high"] > result.table["rank_low"]).all()


def test_borda_replicates_rank_negative_and_close_totals_right():
    """Replicate totals can fall below 0 and differ in the last digits: the packed sort keys
    must keep their order."""
    rng = np.random.default_rng(11)
    rows = [(s, j, rng.normal(0, 3)) for s in range(30) for j in range(6) if rng.random() < 0.6]
    rows += [(30, 0, 1.0), (31, 0, 1.0 + 1e-9), (30, 1, -1e-9), (31, 1, -2e-9)]
    d = design_from_totals(totals_frame(rows))
    contrib = method_contributions(d, SCALE, "borda")
    expected = group_statistic(contrib.values, d.sub, d.n_submissions, "mean")
    got = ReplicateKeys(d, SCALE, "borda").keys(d.total[:, None])[:, 0]
    assert got == pytest.approx(expected, abs=1e-12)
