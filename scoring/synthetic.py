"""Synthetic jury rounds with a known truth, for benchmarks, demos and tests.

Pure numpy/pandas: the demo seeder and the benchmarks both build their data from here, so a
round generated with the same arguments and seed is identical everywhere.

Model of one score (criterion c of submission i by juror j)::

    value = midpoint + quality_sd * q_i + severity_sd * s_j + noise_sd * e_ijc

with q, s, e standard normal, rounded to whole points and clipped to the scale, as a juror
would enter them. Each submission is read by ``sheets_per_submission`` distinct jurors drawn
at random, so loads are roughly (not exactly) balanced and the design is incomplete and, at
realistic sizes, connected. With ``panels`` > 1 the jurors are split into that many panels
and each submission is read within one panel only: a disconnected design.
``score_pairs`` draws more sheets from the same truth (extra reviews in simulations).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_SCALE: tuple[float, float] = (0.0, 10.0)


@dataclass(frozen=True)
class SyntheticTruth:
    """What generated the scores: the order a perfect method would find."""

    quality: pd.Series  # points above the midpoint, by submission id; higher = better
    severity: pd.Series  # points added by the juror, by juror id; negative = harsh
    scale: tuple[float, float]
    noise_sd: float = 1.0  # per score
    criteria: tuple[str, ...] = ()

    def true_ranks(self, submissions) -> np.ndarray:
        """Competition ranks (1 = best) of the true quality among ``submissions``."""
        return (-self.quality[list(submissions)]).rank(method="min").to_numpy().astype(int)


def synthetic_scores(
    n_submissions: int,
    n_jurors: int,
    sheets_per_submission: int,
    n_criteria: int,
    seed: int,
    *,
    scale: tuple[float, float] = DEFAULT_SCALE,
    quality_sd: float = 1.5,
    severity_sd: float = 0.75,
    noise_sd: float = 1.0,
    panels: int = 1,
) -> tuple[pd.DataFrame, dict[str, float], SyntheticTruth]:
    """Return ``(values, weights, truth)`` for a random round.

    ``values`` has columns submission, juror, criterion, value (one row per score);
    submission and juror ids are integers starting at 1 (like database keys), criteria are
    named ``"c1"``, ``"c2"``, ...; ``weights`` maps each criterion to a weight in {1, 2, 3}.
    """
    if min(n_submissions, n_jurors, sheets_per_submission, n_criteria) < 1:
        raise ValueError("all sizes must be at least 1")
    if sheets_per_submission * panels > n_jurors:
        raise ValueError("sheets_per_submission cannot exceed the jurors of a panel")
    lo, hi = float(scale[0]), float(scale[1])
    if not lo < hi:
        raise ValueError("scale must be (min, max) with min < max")

    rng = np.random.default_rng(seed)
    quality = rng.standard_normal(n_submissions)
    severity = rng.standard_normal(n_jurors)
    criteria = [f"c{k + 1}" for k in range(n_criteria)]
    weights = {c: float(w) for c, w in zip(criteria, rng.integers(1, 4, n_criteria), strict=True)}

    if panels == 1:
        jurors = _assign_jurors(rng, n_submissions, n_jurors, sheets_per_submission)
    else:
        panel_of = np.arange(n_submissions) % panels
        width = n_jurors // panels
        jurors = np.empty((n_submissions, sheets_per_submission), dtype=np.int64)
        for p in range(panels):
            rows = np.flatnonzero(panel_of == p)
            jurors[rows] = p * width + _assign_jurors(rng, rows.size, width, sheets_per_submission)
    sub = np.repeat(np.arange(n_submissions), sheets_per_submission)
    jur = jurors.ravel()
    truth = SyntheticTruth(
        quality=pd.Series(
            quality_sd * quality, index=pd.RangeIndex(1, n_submissions + 1, name="submission")
        ),
        severity=pd.Series(
            severity_sd * severity, index=pd.RangeIndex(1, n_jurors + 1, name="juror")
        ),
        scale=(lo, hi),
        noise_sd=noise_sd,
        criteria=tuple(criteria),
    )
    values = _score(truth, sub + 1, jur + 1, rng)
    return values, weights, truth


def score_pairs(
    truth: SyntheticTruth, pairs: list[tuple[int, int]], rng: np.random.Generator
) -> pd.DataFrame:
    """Sheets for more (submission, juror) pairs drawn from the same truth."""
    if not pairs:
        return pd.DataFrame(columns=["submission", "juror", "criterion", "value"])
    sub, jur = (np.array(x, dtype=np.int64) for x in zip(*pairs, strict=True))
    return _score(truth, sub, jur, rng)


def _score(
    truth: SyntheticTruth, sub: np.ndarray, jur: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per (sheet, criterion) for sheets (sub[i], jur[i]) given by ids."""
    n_criteria = len(truth.criteria)
    sub_rows = np.repeat(sub, n_criteria)
    jur_rows = np.repeat(jur, n_criteria)
    crit_rows = np.tile(np.arange(n_criteria), sub.size)
    lo, hi = truth.scale
    raw = (
        (lo + hi) / 2
        + truth.quality.to_numpy()[sub_rows - 1]
        + truth.severity.to_numpy()[jur_rows - 1]
        + truth.noise_sd * rng.standard_normal(sub_rows.size)
    )
    return pd.DataFrame(
        {
            "submission": sub_rows,
            "juror": jur_rows,
            "criterion": np.asarray(truth.criteria, dtype=object)[crit_rows],
            "value": np.clip(np.rint(raw), lo, hi),
        }
    )


def _assign_jurors(
    rng: np.random.Generator, n_submissions: int, n_jurors: int, k: int
) -> np.ndarray:
    """k distinct random jurors per submission, shape (n_submissions, k).

    The k smallest of independent uniform keys per row give a uniform random k-subset;
    done in chunks so memory stays bounded for large rounds.
    """
    out = np.empty((n_submissions, k), dtype=np.int64)
    chunk = max(1, 2_000_000 // n_jurors)
    for start in range(0, n_submissions, chunk):
        stop = min(start + chunk, n_submissions)
        keys = rng.random((stop - start, n_jurors))
        out[start:stop] = np.argpartition(keys, k - 1, axis=1)[:, :k]
    return out
