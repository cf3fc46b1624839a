"""scoring.agenda: which entries a round's jury should discuss, and why (pure)."""

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from scoring.agenda import DISAGREEMENT, DISCUSSED, UNCERTAIN_AT_CUT, agenda


def ranking(rows) -> pd.DataFrame:
    """rows: (submission, rank, flagged, p_top, spread)."""
    frame = pd.DataFrame(rows, columns=["submission", "rank", "flagged", "p_top", "spread"])
    return frame.set_index("submission")


def test_without_a_cut_only_disagreements_and_started_discussions_are_listed():
    table = ranking([(10, 1, False, 0.5, 1.0), (11, 2, True, 0.5, 6.0), (12, 3, False, 0.5, 0.0)])
    items = agenda(table, None, discussed=[12, 99])
    assert [(i.submission, i.reasons) for i in items] == [
        (11, (DISAGREEMENT,)),
        (12, (DISCUSSED,)),
        (99, (DISCUSSED,)),  # discussed but not ranked (no submitted sheet yet): last
    ]
    assert items[0].p_top is None and items[0].spread == 6.0 and items[2].rank is None


def test_at_a_cut_the_uncertain_entries_come_first_closest_to_even_odds_first():
    table = ranking(
        [
            (1, 1, False, 0.99, 0.5),
            (2, 2, False, 0.70, 0.5),
            (3, 3, True, 0.45, 5.0),
            (4, 4, True, 0.01, 5.0),
            (5, 5, False, np.nan, 0.0),  # isolated: unknown odds count as uncertain
        ]
    )
    items = agenda(table, 2)
    assert [(i.submission, i.reasons) for i in items] == [
        (5, (UNCERTAIN_AT_CUT,)),
        (3, (UNCERTAIN_AT_CUT, DISAGREEMENT)),
        (2, (UNCERTAIN_AT_CUT,)),
        (4, (DISAGREEMENT,)),
    ]
    assert items[1].p_top == 0.45


def test_an_empty_ranking_lists_only_the_discussed_entries():
    empty = ranking([])
    assert [i.submission for i in agenda(empty, 3, discussed=[7])] == [7]


@given(
    st.lists(
        st.tuples(st.booleans(), st.floats(0, 1) | st.just(float("nan")), st.booleans()),
        min_size=1,
        max_size=30,
    ),
    st.integers(1, 30) | st.none(),
)
def test_an_entry_is_listed_exactly_when_it_has_a_reason_and_only_once(rows, top_n):
    table = ranking(
        [(pk, pk + 1, flagged, p, 0.0) for pk, (flagged, p, _talked) in enumerate(rows)]
    )
    discussed = [pk for pk, (_f, _p, talked) in enumerate(rows) if talked]
    items = agenda(table, top_n, discussed)
    listed = [item.submission for item in items]
    assert len(listed) == len(set(listed))
    for pk, (flagged, p, talked) in enumerate(rows):
        uncertain = top_n is not None and (np.isnan(p) or 0.05 < p < 0.95)
        assert (pk in listed) == (flagged or talked or uncertain)
