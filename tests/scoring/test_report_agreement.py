"""The Board report states agreement honestly: the lead figure, W with its block."""

import pandas as pd

from scoring.report import agreement_reading, agreement_table
from scoring.standings import compute_standings


def long_table(matrix) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"submission": i + 1, "juror": j + 1, "criterion": "a", "value": float(v)}
            for i, row in enumerate(matrix)
            for j, v in enumerate(row)
        ]
    )


def test_negative_agreement_reads_no_agreement_beyond_chance_not_weak():
    # ICC2k = -2.57: the jurors disagree more than the entries differ.
    disagree = long_table([[5, 6, 8], [7, 6, 5], [5, 8, 3], [7, 6, 2]])
    standings = compute_standings(disagree, {"a": 1}, (0, 10), "mean")
    reading = agreement_reading(standings)
    assert "(ICC2k) is -2.57: no agreement beyond chance" in reading
    assert "weak" not in reading
    # 3 jurors x 4 entries is too small a block for W: not shown, and the table says why.
    assert standings.agreement["kendall_w"] is None
    assert "the largest complete block is 3 jurors x 4 entries" in agreement_table(standings)


def test_w_is_printed_with_the_block_it_was_computed_on():
    agree = long_table([[9, 8, 9], [7, 7, 6], [5, 6, 5], [3, 4, 3], [1, 2, 2]])
    standings = compute_standings(agree, {"a": 1}, (0, 10), "mean")
    assert standings.agreement["kendall_w"] is not None
    assert "on the 3 jurors x 5 entries who all read the same entries" in agreement_table(standings)
    assert "strong" in agreement_reading(standings)
