"""Agreement statistics against published values, hand computations and simulation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import friedmanchisquare

from scoring.aggregation import design_from_totals, fit_fixed_effects, sheet_totals
from scoring.agreement import (
    ICC_FORMS,
    LEVELS,
    REASON_NO_REPLICATION,
    REASON_TOO_SMALL,
    _icc_unbalanced,
    agreement_from_design,
    agreement_report,
    agreement_summary,
    icc,
    icc_from_matrix,
    juror_stats,
    kendalls_w,
    kendalls_w_from_matrix,
    lead_reliability,
    reliability_level,
    submission_dispersion,
)
from scoring.fixed_effects import fit_design
from scoring.synthetic import synthetic_scores

# Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges, and their Table 4 results.
SHROUT_FLEISS = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)
PUBLISHED = {"ICC1": 0.17, "ICC2": 0.29, "ICC3": 0.71, "ICC1k": 0.44, "ICC2k": 0.62, "ICC3k": 0.91}


def to_totals(matrix: np.ndarray) -> pd.DataFrame:
    rows = [
        (f"t{i}", f"judge{j}", matrix[i, j])
        for i in range(matrix.shape[0])
        for j in range(matrix.shape[1])
        if not np.isnan(matrix[i, j])
    ]
    return pd.DataFrame(rows, columns=["submission", "juror", "total"])


# --------------------------------------------------------------------------- ICC


def test_icc_matches_shrout_fleiss_published_values():
    values = icc_from_matrix(SHROUT_FLEISS)
    assert {k: round(v, 2) for k, v in values.items()} == PUBLISHED


def test_icc_from_totals_on_a_complete_design():
    result = icc(to_totals(SHROUT_FLEISS))
    assert result["design"] == "complete"
    assert result["k"] == 4
    assert result["reasons"] == {}
    for form in ICC_FORMS:
        assert result[form] == pytest.approx(icc_from_matrix(SHROUT_FLEISS)[form])
    # Exact mean-square values: BMS = 11.24, WMS = 6.26, JMS = 32.49, EMS = 1.02 (S&F).
    assert result["ICC1"] == pytest.approx((11.2417 - 6.2639) / (11.2417 + 3 * 6.2639), abs=1e-4)


def test_incomplete_design_estimators_reduce_to_shrout_fleiss_when_complete():
    """The unbalanced (k0 / Henderson III) path must agree exactly on a complete design."""
    d = design_from_totals(to_totals(SHROUT_FLEISS))
    forms, reasons, k0 = _icc_unbalanced(d, fit_fixed_effects(to_totals(SHROUT_FLEISS)))
    assert reasons == {}
    assert k0 == pytest.approx(4)
    published = icc_from_matrix(SHROUT_FLEISS)
    for form in ICC_FORMS:
        assert forms[form] == pytest.approx(published[form], abs=1e-12)


def test_one_way_icc_with_unequal_group_sizes_hand_computed():
    # A: 2, 4 | B: 6, 8, 10 | C: 5.  N = 6, n = 3, grand mean 35/6.
    # SSB = 2(17/6)^2 + 3(13/6)^2 + (5/6)^2 = 1110/36 -> BMS = 555/36; SSW = 10 -> WMS = 10/3
    # k0 = (6 - (4 + 9 + 1)/6) / 2 = 11/6
    # ICC1 = (BMS - WMS) / (BMS + (k0 - 1) WMS) = 435/655; ICC1k = (BMS - WMS)/BMS = 435/555
    totals = pd.DataFrame(
        [("A", "j1", 2), ("A", "j2", 4), ("B", "j1", 6), ("B", "j2", 8), ("B", "j3", 10),
         ("C", "j1", 5)],
        columns=["submission", "juror", "total"],
    )  # fmt: skip
    result = icc(totals)
    assert result["design"] == "incomplete"
    assert result["k"] == pytest.approx(11 / 6)
    assert result["ICC1"] == pytest.approx(435 / 655)
    assert result["ICC1k"] == pytest.approx(435 / 555)


def test_incomplete_two_way_icc_recovers_simulated_variance_components():
    # total = quality + severity + noise (sd 1, 0.7, 0.5), 4 random jurors per submission.
    # Compared with the variances actually realised in the sample, so only the estimator's
    # own error remains: ICC3 = q / (q + e), ICC2 = q / (q + s + e), k forms with e/4, (s+e)/4.
    rng = np.random.default_rng(2024)
    n_sub, n_jur, k = 3000, 120, 4
    quality = rng.normal(0, 1.0, n_sub)
    severity = rng.normal(0, 0.7, n_jur)
    jur = np.argsort(rng.random((n_sub, n_jur)), axis=1)[:, :k].ravel()
    sub = np.repeat(np.arange(n_sub), k)
    noise = rng.normal(0, 0.5, sub.size)
    q, s, e = quality.var(ddof=1), severity.var(ddof=1), noise.var(ddof=1)
    result = icc(pd.DataFrame({"submission": sub, "juror": jur, "total": quality[sub] +
                               severity[jur] + noise}))  # fmt: skip
    assert result["design"] == "incomplete"
    assert result["k"] == pytest.approx(4)
    assert result["ICC3"] == pytest.approx(q / (q + e), abs=0.01)
    assert result["ICC2"] == pytest.approx(q / (q + s + e), abs=0.01)
    assert result["ICC3k"] == pytest.approx(q / (q + e / 4), abs=0.005)
    assert result["ICC2k"] == pytest.approx(q / (q + (s + e) / 4), abs=0.01)
    # One-way: juror effects land in the error term, so ICC1 estimates what ICC2 does.
    assert result["ICC1"] == pytest.approx(q / (q + s + e), abs=0.01)
    assert result["ICC1k"] == pytest.approx(q / (q + (s + e) / 4), abs=0.01)


def test_icc_reasons_for_forms_that_cannot_be_computed():
    one_juror = icc(pd.DataFrame({"submission": [1, 2], "juror": [1, 1], "total": [3.0, 5.0]}))
    for form in ICC_FORMS:
        assert one_juror[form] is None
        assert one_juror["reasons"][form] == REASON_TOO_SMALL

    # Each submission read once: no within-submission replication, no residual df.
    single = icc(pd.DataFrame({"submission": [1, 2, 3], "juror": [1, 2, 1],
                               "total": [3.0, 5.0, 4.0]}))  # fmt: skip
    assert single["ICC1"] is None and single["reasons"]["ICC1"] == REASON_NO_REPLICATION
    assert single["ICC3"] is None and "too sparse" in single["reasons"]["ICC3"]

    flat = icc(to_totals(np.full((3, 3), 5.0)))
    assert all(flat[form] is None for form in ICC_FORMS)
    assert "no variance" in flat["reasons"]["ICC2"]


def test_icc_from_matrix_rejects_degenerate_input():
    with pytest.raises(ValueError):
        icc_from_matrix(np.array([[1.0, 2.0]]))
    with pytest.raises(ValueError):
        icc_from_matrix(np.array([[1.0, np.nan], [2.0, 3.0]]))


# --------------------------------------------------------------------------- Kendall's W


def test_kendalls_w_with_ties_hand_computed():
    # Jurors' totals for submissions A..D (rows) and their ascending ranks:
    #   J1: 9 7 7 3 -> 4, 2.5, 2.5, 1   ties: one pair  -> T = 2^3 - 2 = 6
    #   J2: 8 6 5 4 -> 4, 3, 2, 1       T = 0
    #   J3: 7 7 5 5 -> 3.5, 3.5, 1.5, 1.5  two pairs -> T = 12
    # Rank sums 11.5, 9, 6, 3.5 (mean 7.5): S = 16 + 2.25 + 2.25 + 16 = 36.5
    # W = 12 S / (m^2 (n^3 - n) - m sum T) = 438 / (9 * 60 - 3 * 18) = 438 / 486 = 73/81
    matrix = np.array([[9, 8, 7], [7, 6, 7], [7, 5, 5], [3, 4, 5]], dtype=float)
    assert kendalls_w_from_matrix(matrix) == pytest.approx(73 / 81)
    result = kendalls_w(to_totals(matrix))
    assert result["W"] == pytest.approx(73 / 81)
    assert result["block"] == "complete design"
    assert (result["n_jurors"], result["n_submissions"], result["df"]) == (3, 4, 3)
    assert result["chi2"] == pytest.approx(3 * 3 * 73 / 81)


@settings(max_examples=100, deadline=None)
@given(
    data=st.integers(2, 6).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(0, 4), min_size=n, max_size=n), min_size=2, max_size=5
        )
    )
)
def test_kendalls_w_agrees_with_the_tie_corrected_friedman_statistic(data):
    # Friedman's tie-corrected chi-square Q relates to W by W = Q / (m (n - 1)).
    raters = np.array(data, dtype=float)  # m raters x n submissions
    w = kendalls_w_from_matrix(raters.T)
    m, n = raters.shape
    if all(len(set(r)) == 1 for r in data):
        assert w is None
        return
    if n < 3:  # scipy's friedman needs 3 or more groups
        assert 0 <= w <= 1
        return
    q = friedmanchisquare(*raters.T).statistic
    assert w == pytest.approx(q / (m * (n - 1)))


def test_kendalls_w_extremes():
    same = np.array([[1, 1, 1], [2, 2, 2], [3, 3, 3], [4, 4, 4]], dtype=float)
    assert kendalls_w_from_matrix(same) == pytest.approx(1.0)
    reversed_pair = np.array([[1, 4], [2, 3], [3, 2], [4, 1]], dtype=float)
    assert kendalls_w_from_matrix(reversed_pair) == pytest.approx(0.0)
    assert kendalls_w_from_matrix(np.full((3, 2), 5.0)) is None


def test_kendalls_w_uses_the_largest_complete_block():
    rows = [(s, j, float(v)) for s, v in zip("abcd", [9, 7, 5, 3], strict=True)
            for j in ("j1", "j2", "j3")]  # fmt: skip
    rows += [("e", "j1", 8), ("e", "j2", 6), ("e", "j3", 4), ("e", "j5", 1)]  # superset
    rows += [("f", "j1", 2), ("f", "j4", 5), ("g", "j1", 3), ("g", "j4", 4)]  # smaller panel
    result = kendalls_w(pd.DataFrame(rows, columns=["submission", "juror", "total"]))
    assert result["block"] == "largest complete block"
    assert result["jurors"] == ["j1", "j2", "j3"]
    assert result["n_submissions"] == 5  # a-d plus e (scored by j1-j3 and also j5)
    # Within the block j1 and j2 agree perfectly; j3 swaps d and e.
    block = np.array([[9, 9, 9], [7, 7, 7], [5, 5, 5], [3, 3, 3], [8, 6, 4]], dtype=float)
    assert result["W"] == pytest.approx(kendalls_w_from_matrix(block))


def test_kendalls_w_none_without_a_complete_block():
    rows = [("s1", "j1", 1), ("s1", "j2", 2), ("s2", "j2", 3), ("s2", "j3", 4),
            ("s3", "j3", 5), ("s3", "j1", 6)]  # fmt: skip
    result = kendalls_w(pd.DataFrame(rows, columns=["submission", "juror", "total"]))
    assert result["W"] is None
    assert "no complete block" in result["reason"]


# --------------------------------------------------------------------------- dispersion


def test_submission_dispersion_and_flag():
    totals = pd.DataFrame(
        [("A", "j1", 2.0), ("A", "j2", 4.0), ("A", "j3", 9.0),
         ("B", "j1", 5.0), ("B", "j2", 5.5),
         ("C", "j1", 5.0), ("C", "j2", 7.5),
         ("D", "j1", 6.0)],
        columns=["submission", "juror", "total"],
    )  # fmt: skip
    table = submission_dispersion(totals, (0, 10))
    assert table.attrs["threshold"] == pytest.approx(2.5)  # 25% of the scale width
    assert table.loc["A", "std"] == pytest.approx(math.sqrt(13))
    assert table.loc["A", "spread"] == 7
    assert table.loc["A", "mean"] == pytest.approx(5)
    assert table["flagged"].to_dict() == {"A": True, "B": False, "C": True, "D": False}
    assert math.isnan(table.loc["D", "std"])
    strict = submission_dispersion(totals, (0, 10), threshold=8)
    assert not strict["flagged"].any()
    assert submission_dispersion(totals, (0, 100))["flagged"].tolist() == [False] * 4


# --------------------------------------------------------------------------- jurors


def test_juror_stats_severity_sign_and_counts():
    quality = {"A": 6, "B": 5, "C": 4, "D": 3, "E": 2, "F": 1}
    severity = {"h1": -2, "h2": -2, "l1": 2, "l2": 2}
    reads = {"h1": "ABCD", "h2": "ABCD", "l1": "CDEF", "l2": "CDEF"}
    totals = pd.DataFrame(
        [(s, j, 1.0 + quality[s] + severity[j]) for j, subs in reads.items() for s in subs],
        columns=["submission", "juror", "total"],
    )
    stats = juror_stats(totals)
    assert list(stats.columns) == ["n_sheets", "mean_total", "severity"]
    assert stats["n_sheets"].to_dict() == {"h1": 4, "h2": 4, "l1": 4, "l2": 4}
    assert stats.loc["h1", "mean_total"] == pytest.approx((5 + 4 + 3 + 2) / 4)
    assert stats["severity"].to_dict() == pytest.approx({"h1": -2, "h2": -2, "l1": 2, "l2": 2})


# --------------------------------------------------------------------------- report


def test_agreement_report_on_a_synthetic_round():
    values, weights, truth = synthetic_scores(300, 30, 4, 3, seed=9)
    report = agreement_report(values, weights, truth.scale)
    totals = sheet_totals(values, weights)
    assert report.icc == icc(totals)
    assert report.icc["design"] == "incomplete"
    assert 0 < report.icc["ICC1"] < report.icc["ICC1k"] < 1
    pd.testing.assert_frame_equal(report.jurors, juror_stats(totals))
    pd.testing.assert_frame_equal(report.submissions, submission_dispersion(totals, truth.scale))
    assert report.kendall == kendalls_w(totals)
    # Severity estimates follow the generating severities.
    corr = np.corrcoef(report.jurors["severity"], truth.severity[report.jurors.index])[0, 1]
    assert corr > 0.9


# --------------------------------------------------------------------------- what is shown


def panel_totals(n_jurors: int, n_entries: int, seed: int = 0) -> pd.DataFrame:
    """A complete block: every juror reads every entry (quality + noise)."""
    rng = np.random.default_rng(seed)
    quality = rng.normal(5, 2, n_entries)
    return pd.DataFrame(
        [
            (f"e{i}", f"j{j}", quality[i] + rng.normal(0, 0.5))
            for i in range(n_entries)
            for j in range(n_jurors)
        ],
        columns=["submission", "juror", "total"],
    )


@pytest.mark.parametrize(
    ("jurors", "entries", "shown"), [(3, 4, False), (2, 10, False), (3, 5, True), (4, 6, True)]
)
def test_w_is_shown_only_on_a_block_of_3_jurors_x_5_entries_and_always_with_it(
    jurors, entries, shown
):
    totals = panel_totals(jurors, entries)
    result = kendalls_w(totals)
    assert result["W"] is not None  # the statistic itself is computed...
    assert result["reportable"] is shown  # ...but shown only on a block large enough
    summary = agreement_summary(agreement_report_from_totals(totals), jurors, entries)
    assert (summary["kendall_block_jurors"], summary["kendall_block_entries"]) == (
        jurors,
        entries,
    )
    if shown:
        assert summary["kendall_w"] == pytest.approx(result["W"])
    else:
        assert summary["kendall_w"] is None
        assert summary["kendall_reason_code"] == "block_too_small"
        assert f"{jurors} jurors x {entries} entries" in summary["kendall_reason"]


def test_the_largest_block_that_can_be_shown_wins_over_a_larger_one_that_cannot():
    two_by_ten = panel_totals(2, 10, seed=1)  # 20 sheets, but only 2 jurors
    three_by_five = panel_totals(3, 5, seed=2)
    three_by_five["submission"] = "x" + three_by_five["submission"]
    three_by_five["juror"] = "k" + three_by_five["juror"]
    result = kendalls_w(pd.concat([two_by_ten, three_by_five], ignore_index=True))
    assert (result["n_jurors"], result["n_submissions"]) == (3, 5)
    assert result["reportable"]


def agreement_report_from_totals(totals: pd.DataFrame):
    d = design_from_totals(totals)
    return agreement_from_design(d, (0, 10), fit_design(d))


def test_the_lead_is_icc2k_even_at_exactly_zero_and_never_falls_back_to_icc1k():
    lead = lead_reliability({"ICC2k": 0.0, "ICC1k": 0.8})
    assert lead == {"form": "ICC2k", "value": 0.0, "level": "none"}
    assert lead_reliability({"ICC2k": None, "ICC1k": 0.8}) == {
        "form": "ICC1k",
        "value": 0.8,
        "level": "strong",
    }
    assert lead_reliability({})["value"] is None


@pytest.mark.parametrize(
    ("value", "level"),
    [(-0.4, "none"), (0.0, "none"), (0.2, "weak"), (0.5, "moderate"), (0.8, "strong")],
)
def test_reliability_levels(value, level):
    assert reliability_level(value) == level


def test_jurors_who_agree_less_than_chance_read_no_agreement_beyond_chance_not_weak():
    # Jurors who disagree more than the entries differ: the between-entry mean square is
    # below the error mean square, so ICC2k is negative (-2.57).
    matrix = np.array([[5, 6, 8], [7, 6, 5], [5, 8, 3], [7, 6, 2]], dtype=float)
    rows = to_totals(matrix).itertuples(index=False)
    totals = pd.DataFrame(rows, columns=["submission", "juror", "total"])
    summary = agreement_summary(agreement_report_from_totals(totals), 3, 4)
    assert summary["lead"]["value"] == pytest.approx(icc_from_matrix(matrix)["ICC2k"])
    assert summary["lead"]["value"] < 0
    assert summary["lead"]["level"] == "none"
    assert LEVELS[summary["lead"]["level"]] == "no agreement beyond chance"
