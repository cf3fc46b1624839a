"""The shortlist's odds: entries uncertain at the cut first, and where extra reviews go."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.cut import choose_extra_reviews, cut_table, shortlist


def test_entries_uncertain_at_the_cut_are_listed_first_closest_to_even_odds_first():
    p = pd.Series({"a": 1.0, "b": 0.97, "c": 0.55, "d": 0.3, "e": np.nan, "f": 0.02, "g": 0.0})
    rank = pd.Series({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7})
    table = cut_table(p, rank)
    # Unknown odds (an isolated entry) count as the most uncertain.
    assert table.index.tolist() == ["e", "c", "d", "a", "b", "f", "g"]
    assert table["uncertain"].tolist() == [True, True, True, False, False, False, False]


def test_extra_reviews_go_to_the_entries_at_the_cut_with_fewest_sheets_first():
    p = pd.Series({"sure": 1.0, "edge3": 0.5, "edge5": 0.5, "near": 0.8, "out": 0.0})
    sheets = pd.Series({"sure": 3, "edge3": 3, "edge5": 5, "near": 3, "out": 3})
    assert choose_extra_reviews(p, sheets, 1) == {"edge3": 1}
    # Each review shrinks the noise less than the one before, so after two reviews edge3
    # (now 5 sheets) is as worth a third as edge5 its first (ties go to input order).
    assert choose_extra_reviews(p, sheets, 2) == {"edge3": 2}
    assert choose_extra_reviews(p, sheets, 4) == {"edge3": 3, "edge5": 1}
    assert "sure" not in choose_extra_reviews(p, sheets, 20)
    assert "out" not in choose_extra_reviews(p, sheets, 20)
    assert choose_extra_reviews(p, sheets, 0) == {}


def test_extra_reviews_respect_the_readers_each_entry_can_still_get():
    p = pd.Series({"a": 0.5, "b": 0.45})
    sheets = pd.Series({"a": 3, "b": 3})
    assert choose_extra_reviews(p, sheets, 3, available={"a": 1, "b": 5}) == {"a": 1, "b": 2}
    assert choose_extra_reviews(p, sheets, 3, available={"a": 0, "b": 1}) == {"b": 1}
    with pytest.raises(ValueError, match="whole number"):
        choose_extra_reviews(p, sheets, -1)


def test_the_shortlist_takes_entries_tied_at_the_cut_together():
    rank = pd.Series({"a": 1, "b": 2, "c": 2, "d": 4})
    assert shortlist(rank, 2) == {"a", "b", "c"}
