"""The composed result of a round, on plain data."""

import pandas as pd
import pytest

from scoring.standings import compute_standings, juror_rows, ranking_rows


def long_table(sheets: dict[tuple[int, int], dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"submission": s, "juror": j, "criterion": c, "value": v}
            for (s, j), scores in sheets.items()
            for c, v in scores.items()
        ]
    )


def test_harsh_and_lenient_jurors_on_different_entries_are_corrected():
    # Entry 1 is truly better than entry 2 by one point, but only a harsh juror (-2) read
    # entry 1 while a lenient juror (+2) read entry 2; a shared juror links them.
    values = long_table(
        {
            (1, 10): {"a": 5},
            (1, 30): {"a": 7},  # harsh 10, neutral 30
            (2, 20): {"a": 8},
            (2, 30): {"a": 6},  # lenient 20, neutral 30
            (3, 10): {"a": 3},
            (3, 20): {"a": 7},  # both extremes read entry 3
        }
    )
    plain = compute_standings(values, {"a": 1}, (1, 10), "mean")
    fair = compute_standings(values, {"a": 1}, (1, 10), "fixed_effects")
    assert plain.ranking.index[0] == 2
    assert fair.ranking.index[0] == 1
    assert fair.jurors.loc[10, "severity"] < 0 < fair.jurors.loc[20, "severity"]


def test_rows_are_plain_json_ready_values_best_first():
    values = long_table({(s, j): {"a": 10 - s + (j % 2)} for s in range(1, 5) for j in range(1, 4)})
    standings = compute_standings(values, {"a": 1}, (0, 10), "mean")
    rows = ranking_rows(standings)
    assert [r["submission"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["score"] == pytest.approx(29 / 3, abs=1e-3)  # sheets 10, 9, 10
    assert rows[0]["n_sheets"] == 3 and rows[0]["raw_rank"] == 1
    low, high = rows[0]["score_ci"]
    assert low <= rows[0]["score"] <= high
    assert all(isinstance(r["flagged"], bool) for r in rows)
    assert standings.agreement["icc"]["ICC3"] is not None
    assert {r["juror"] for r in juror_rows(standings)} == {1, 2, 3}


def test_no_sheets_gives_an_empty_result_with_reasons():
    standings = compute_standings(
        pd.DataFrame(columns=["submission", "juror", "criterion", "value"]),
        {"a": 1},
        (0, 10),
        "mean",
    )
    assert standings.ranking.empty
    assert all(v is None for v in standings.agreement["icc"].values())
    assert standings.agreement["icc_reasons"]["ICC1"]


def test_same_sheets_give_the_same_intervals():
    values = long_table(
        {(s, j): {"a": (s * 7 + j * 3) % 10} for s in range(1, 6) for j in range(1, 4)}
    )
    one = ranking_rows(compute_standings(values, {"a": 1}, (0, 10), "zscore"))
    two = ranking_rows(
        compute_standings(values.sample(frac=1, random_state=3), {"a": 1}, (0, 10), "zscore")
    )
    assert one == two


def test_totals_and_the_fixed_effects_fit_are_computed_once_for_everything(monkeypatch):
    import scoring.standings as standings_module
    from scoring.fixed_effects import FixedEffectsSolver
    from scoring.synthetic import synthetic_scores

    calls = {"fit": 0, "totals": 0}
    original_init = FixedEffectsSolver.__init__
    original_totals = standings_module.sheet_totals_with_gaps

    def counting_init(self, d):
        calls["fit"] += 1
        original_init(self, d)

    def counting_totals(values, weights):
        calls["totals"] += 1
        return original_totals(values, weights)

    monkeypatch.setattr(FixedEffectsSolver, "__init__", counting_init)
    monkeypatch.setattr(standings_module, "sheet_totals_with_gaps", counting_totals)
    values, weights, truth = synthetic_scores(40, 8, 3, 4, seed=2)
    for method in ("fixed_effects", "zscore", "mean"):
        calls.update(fit=0, totals=0)
        compute_standings(values, weights, truth.scale, method)
        assert calls == {"fit": 1, "totals": 1}, method


def test_standings_carry_the_top_n_odds_and_coded_notices():
    values = long_table({(s, j): {"a": 10 - s + (j % 2)} for s in range(1, 6) for j in range(1, 4)})
    values = pd.concat([values, long_table({(9, 99): {"a": 10}})], ignore_index=True)
    standings = compute_standings(values, {"a": 1}, (0, 10), "fixed_effects", top_n=2)
    ranking = standings.ranking
    assert standings.top_n == 2
    assert ranking.loc[1, "p_top"] == 1.0 and ranking.loc[5, "p_top"] == 0.0
    assert ranking.loc[9, "isolated"] and pd.isna(ranking.loc[9, "p_top"])
    assert (ranking.loc[9, "rank_low"], ranking.loc[9, "rank_high"]) == (1, 6)
    codes = [n.code for n in standings.notices]
    assert "isolated_submissions" in codes and "fixed_effects_disconnected" in codes
    assert standings.warnings == [n.message for n in standings.notices]
    assert compute_standings(values, {"a": 1}, (0, 10), "mean").ranking["p_top"].isna().all()
