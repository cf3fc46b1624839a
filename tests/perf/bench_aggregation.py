"""Ranking, agreement and bootstrap at full-competition size, plus accuracy on known truth.

Round: 10,000 submissions, 500 jurors, 5 jurors per submission (~100 sheets per juror),
8 criteria = 400,000 scores, from scoring.synthetic (seeded, with juror severity).
Goals: every ranking method plus the agreement report <= 2 s in total; a 1,000-resample
bootstrap of one method <= 5 s. Each timing is the median of ``REPEATS`` runs after one
warm-up, and starts from the raw scores (sheet totals included).

Run: python -m tests.perf.bench_aggregation
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable

import numpy as np
from scipy.stats import spearmanr

from scoring.aggregation import METHODS, rank_submissions
from scoring.agreement import agreement_report
from scoring.synthetic import synthetic_scores
from scoring.uncertainty import bootstrap_ranking

N_SUBMISSIONS, N_JURORS, SHEETS, N_CRITERIA, SEED = 10_000, 500, 5, 8, 20260101
BOOTSTRAP_METHOD, N_RESAMPLES = "fixed_effects", 1000
TOTAL_GOAL_S, BOOTSTRAP_GOAL_S = 2.0, 5.0
REPEATS = 3


def _timed(fn: Callable[[], object], repeats: int = REPEATS) -> tuple[float, object]:
    fn()  # warm-up: imports, allocator, caches
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _row(name: str, value: float, unit: str, goal: str = "", ok: bool | None = None) -> dict:
    return {"name": name, "value": value, "unit": unit, "goal": goal, "ok": ok}


def run() -> list[dict]:
    """Rows ``{name, value, unit, goal, ok}`` (``ok`` None where there is no goal)."""
    values, weights, truth = synthetic_scores(N_SUBMISSIONS, N_JURORS, SHEETS, N_CRITERIA, SEED)
    scale = truth.scale
    size = f"{N_SUBMISSIONS:,} subs x {SHEETS} sheets x {N_CRITERIA} criteria"
    rows, accuracy, total = [], [], 0.0

    for method in METHODS:
        seconds, ranking = _timed(lambda m=method: rank_submissions(values, weights, scale, m))
        total += seconds
        rows.append(_row(f"rank_submissions {method} ({size})", seconds, "s"))
        table = ranking.table
        rho = spearmanr(table["score"], truth.quality[table.index]).statistic
        accuracy.append(_row(f"{method}: Spearman rho of score vs true quality", rho, ""))

    seconds, _ = _timed(lambda: agreement_report(values, weights, scale))
    total += seconds
    rows.append(_row("agreement_report (ICC, Kendall's W, dispersion, jurors)", seconds, "s"))
    rows.append(
        _row(
            "all methods + agreement, total",
            total,
            "s",
            f"<= {TOTAL_GOAL_S:g} s",
            total <= TOTAL_GOAL_S,
        )
    )

    seconds, boot = _timed(
        lambda: bootstrap_ranking(
            values, weights, scale, BOOTSTRAP_METHOD, n_resamples=N_RESAMPLES, seed=1
        )
    )
    rows.append(
        _row(
            f"bootstrap {BOOTSTRAP_METHOD}, {N_RESAMPLES} resamples",
            seconds,
            "s",
            f"<= {BOOTSTRAP_GOAL_S:g} s",
            seconds <= BOOTSTRAP_GOAL_S,
        )
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(_row("process peak RSS (whole benchmark)", peak_mb, "MB"))

    table = boot.table
    true_rank = (-truth.quality[table.index]).rank(method="min").to_numpy()
    covered = (table["rank_low"].to_numpy() <= true_rank) & (
        true_rank <= table["rank_high"].to_numpy()
    )
    width = float(np.median(table["rank_high"] - table["rank_low"]))
    accuracy.append(
        _row(f"{BOOTSTRAP_METHOD}: 90% rank interval covers the true rank", covered.mean(), "")
    )
    accuracy.append(_row(f"{BOOTSTRAP_METHOD}: median rank-interval width", width, "ranks"))
    return rows + accuracy


def format_table(rows: list[dict]) -> str:
    lines = ["| figure | measured | goal | within goal |", "| --- | --- | --- | --- |"]
    for row in rows:
        value = row["value"]
        shown = f"{value:.3g} {row['unit']}".strip() if isinstance(value, float) else str(value)
        ok = "" if row.get("ok") is None else ("yes" if row["ok"] else "NO")
        lines.append(f"| {row['name']} | {shown} | {row.get('goal', '')} | {ok} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_table(run()))
