"""Ranking, agreement and bootstrap at full-competition size, plus accuracy on known truth.

Round: 10,000 submissions, 500 jurors, 5 jurors per submission (~100 sheets per juror),
8 criteria = 400,000 scores, from scoring.synthetic (seeded, with juror severity).
Goals: every ranking method plus the agreement report <= 2 s in total; a 1,000-resample
bootstrap of each method <= 5 s; 90% rank intervals covering the true rank for 87-95% of
entries (issue 13), here and on the award's shape (40 entries x 8 jurors x 3 readers, over
many rounds), with the previous bootstrap (each entry's own sheets resampled) beside them;
and how much extra reviews chosen at the cut settle the shortlist, against the same number
spread at random. Each timing is the median of ``REPEATS`` runs after one warm-up (one run
for the bootstraps), and starts from the raw scores (sheet totals included).

Run: python -m tests.perf.bench_aggregation
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from scoring.aggregation import METHODS, method_contributions, rank_submissions
from scoring.agreement import agreement_report
from scoring.replicates import competition_ranks
from scoring.simulation import AWARD, Shape, cut_study, rank_coverage
from scoring.synthetic import synthetic_scores
from scoring.totals import design_from_totals, sheet_totals
from scoring.uncertainty import bootstrap_ranking

N_SUBMISSIONS, N_JURORS, SHEETS, N_CRITERIA, SEED = 10_000, 500, 5, 8, 20260101
N_RESAMPLES = 1000
TOTAL_GOAL_S, BOOTSTRAP_GOAL_S = 2.0, 5.0
COVERAGE_GOAL = (0.87, 0.95)
AWARD_ROUNDS, CUT_ROUNDS = 200, 300
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

    size = f"{N_SUBMISSIONS:,} x {SHEETS} sheets, {N_RESAMPLES} resamples"
    coverage = []
    for method in METHODS:
        seconds, boot = _timed(
            lambda m=method: bootstrap_ranking(
                values, weights, scale, m, n_resamples=N_RESAMPLES, seed=1
            ),
            repeats=1,
        )
        rows.append(
            _row(
                f"bootstrap {method} ({size})",
                seconds,
                "s",
                f"<= {BOOTSTRAP_GOAL_S:g} s",
                seconds <= BOOTSTRAP_GOAL_S,
            )
        )
        coverage += _coverage_rows(f"{method} ({N_SUBMISSIONS:,} entries)", boot.table, truth)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(_row("process peak RSS (whole benchmark)", peak_mb, "MB"))
    previous = _previous_bootstrap(values, weights, scale, "fixed_effects")
    coverage += _coverage_rows(
        f"fixed_effects ({N_SUBMISSIONS:,} entries), previous bootstrap", previous, truth, False
    )
    return rows + accuracy + coverage + award_coverage() + cut_rows()


def _coverage_rows(label: str, table, truth, goal: bool = True) -> list[dict]:
    true_rank = truth.true_ranks(table.index)
    low, high = table["rank_low"].to_numpy(), table["rank_high"].to_numpy()
    covered = float(((low <= true_rank) & (true_rank <= high)).mean())
    lo, hi = COVERAGE_GOAL
    return [
        _row(
            f"{label}: 90% rank interval covers the true rank",
            covered,
            "",
            f"{lo:g}-{hi:g}" if goal else "",
            lo <= covered <= hi if goal else None,
        ),
        _row(f"{label}: mean rank-interval width", float(np.mean(high - low)), "ranks"),
    ]


def award_coverage() -> list[dict]:
    """The award's shape over many rounds: coverage and width per method, and the previous
    bootstrap's for fixed effects."""
    rows = []
    shape = f"{AWARD.entries}x{AWARD.jurors}x{AWARD.sheets}, {AWARD_ROUNDS} rounds"
    lo, hi = COVERAGE_GOAL
    for method in METHODS:
        result = rank_coverage(AWARD, method, range(AWARD_ROUNDS))
        rows.append(
            _row(
                f"{method} ({shape}): 90% rank interval covers the true rank",
                result.coverage,
                "",
                f"{lo:g}-{hi:g}",
                lo <= result.coverage <= hi,
            )
        )
        rows.append(
            _row(f"{method} ({shape}): mean rank-interval width", result.mean_width, "ranks")
        )
    hits, widths = [], []
    for seed in range(AWARD_ROUNDS):
        values, weights, truth = AWARD.draw(seed)
        table = _previous_bootstrap(values, weights, truth.scale, "fixed_effects", seed=seed)
        true_rank = truth.true_ranks(table.index)
        hits.append((table["rank_low"] <= true_rank) & (true_rank <= table["rank_high"]))
        widths.append(table["rank_high"] - table["rank_low"])
    rows.append(
        _row(
            f"fixed_effects ({shape}), previous bootstrap: covers the true rank",
            float(np.mean(np.concatenate(hits))),
            "",
        )
    )
    rows.append(
        _row(
            f"fixed_effects ({shape}), previous bootstrap: mean width",
            float(np.mean(np.concatenate(widths))),
            "ranks",
        )
    )
    return rows


def cut_rows() -> list[dict]:
    """Extra reviews chosen at the cut against the same number spread at random."""
    rows = []
    studies = (
        (AWARD, CUT_ROUNDS, 10, 8),
        (AWARD, CUT_ROUNDS, 10, 12),
        (Shape(300, 60, 3), 40, 30, 30),
    )
    for shape, rounds, top_n, extra in studies:
        label = (
            f"{shape.entries}x{shape.jurors}x{shape.sheets}, top {top_n}, {extra} extra reviews, "
            f"{rounds} rounds"
        )
        for outcome in cut_study(shape, range(rounds), top_n=top_n, extra=extra):
            rows.append(
                _row(f"{label}, {outcome.strategy}: right shortlist", outcome.right_shortlist, "")
            )
            rows.append(
                _row(f"{label}, {outcome.strategy}: misplaced entries", outcome.misplaced, "")
            )
    return rows


def _previous_bootstrap(values, weights, scale, method, seed=1):
    """The bootstrap before issue 13, for comparison only: each entry's own per-sheet
    contributions (computed once from the full data) resampled with replacement; 90%
    rank intervals from the conservative order statistics."""
    d = design_from_totals(sheet_totals(values, weights))
    contrib = method_contributions(d, scale, method)
    rng = np.random.default_rng(seed)
    order = np.argsort(d.sub, kind="stable")
    grouped = contrib.values[order]
    n_i = d.sheets_per_submission()
    start = np.concatenate([[0], np.cumsum(n_i)[:-1]])
    keys = np.empty((N_RESAMPLES, d.n_submissions))
    for size in np.unique(n_i):
        members = np.flatnonzero(n_i == size)
        step = max(1, 4_000_000 // (len(members) * size))
        for lo in range(0, N_RESAMPLES, step):
            hi = min(lo + step, N_RESAMPLES)
            draw = rng.integers(0, size, size=(size, hi - lo, len(members))) + start[members]
            keys[lo:hi, members] = grouped[draw].mean(axis=0)
    ranks = competition_ranks(keys)
    return pd.DataFrame(
        {
            "rank_low": np.quantile(ranks, 0.05, axis=0, method="lower"),
            "rank_high": np.quantile(ranks, 0.95, axis=0, method="higher"),
        },
        index=d.submissions,
    )


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
