"""Issue 5: loading a full round from the database beside computing it; the Board report.

Run: python -m tests.perf.bench_results
"""

from __future__ import annotations

import json
import time

from tests.perf.harness import bench_environment, manage_shell, table, workdir

LOAD_SCRIPT = """
import json, time
import numpy as np
from datetime import timedelta
from django.utils import timezone
from jury.models import Assignment
from scoring.aggregation import METHODS, rank_submissions
from scoring.agreement import agreement_report
from jury.models import Round
from scoring.models import Criterion, Score, ScoreSheet
from scoring.results import round_values, rubric_of
from scoring.synthetic import synthetic_scores
from submissions.models import Call, Organization, Submission, User

values, weights, truth = synthetic_scores(10_000, 500, 5, 8, 20260101)
now = timezone.now()
call = Call.objects.create(slug="big", kind="award", title="Big", opens_at=now, deadline=now)
round_ = Round.objects.create(call=call, number=1, name="One", jury_deadline=now)
criteria = {key: Criterion.objects.create(round=round_, key=key, label=key, weight=w,
                                          min_value=0, max_value=10)
            for key, w in weights.items()}
org = Organization.objects.create(name="O", city="c", country="c", region="europe")
Submission.objects.bulk_create([Submission(id=i, call=call, organization=org, title=f"S{i}",
                                           status="eligible")
                                for i in range(1, 10_001)], batch_size=5000)
User.objects.bulk_create([User(id=10_000 + j, username=f"j{j}", role="juror")
                          for j in range(1, 501)], batch_size=5000)
pairs = values[["submission", "juror"]].drop_duplicates().to_numpy()
Assignment.objects.bulk_create([Assignment(id=n + 1, round=round_, submission_id=int(s),
                                           juror_id=10_000 + int(j))
                                for n, (s, j) in enumerate(pairs)], batch_size=5000)
ScoreSheet.objects.bulk_create([ScoreSheet(id=n + 1, assignment_id=n + 1, status="submitted")
                                for n in range(len(pairs))], batch_size=5000)
sheet_of = {(int(s), int(j)): n + 1 for n, (s, j) in enumerate(pairs)}
Score.objects.bulk_create([
    Score(sheet_id=sheet_of[(int(s), int(j))], criterion=criteria[c], value=float(v))
    for s, j, c, v in values.itertuples(index=False)
], batch_size=5000)
staff = User.objects.create(username="staff", role="secretariat")
start = time.perf_counter()
loaded = round_values(round_, staff)
weights_db, scale = rubric_of(round_)
load = time.perf_counter() - start
start = time.perf_counter()
for method in METHODS:
    rank_submissions(loaded, weights_db, scale, method)
agreement_report(loaded, weights_db, scale)
compute = time.perf_counter() - start
print(json.dumps({"rows": len(loaded), "load": load, "compute": compute}))
"""


def load_versus_compute() -> list[dict]:
    with workdir() as path:
        env = bench_environment(path)
        out = manage_shell(env, LOAD_SCRIPT)
    figures = json.loads(out.strip().splitlines()[-1])
    return [
        {
            "name": f"load {figures['rows']:,} submitted scores from the database (round_values)",
            "value": figures["load"],
            "unit": "s",
            "goal": "",
        },
        {
            "name": "every method + agreement on the loaded rows",
            "value": figures["compute"],
            "unit": "s",
            "goal": "<= 2 s",
        },
        {
            "name": "ratio load / compute",
            "value": figures["load"] / figures["compute"],
            "unit": "",
            "goal": "",
        },
    ]


def report_build() -> list[dict]:
    from scoring.report import board_report_html
    from scoring.standings import compute_standings
    from scoring.synthetic import synthetic_scores

    values, weights, truth = synthetic_scores(1_000, 100, 5, 8, 7)
    facts = {
        s: {
            "title": f"Entry {s}",
            "organization": f"City {s % 136}",
            "region": ["africa", "europe", "asia_pacific"][s % 3],
            "theme": "Governance",
        }
        for s in values["submission"].unique()
    }
    names = {j: f"juror{j}" for j in values["juror"].unique()}
    start = time.perf_counter()
    standings = compute_standings(values, weights, truth.scale, "fixed_effects")
    document = board_report_html(
        standings,
        facts,
        names,
        call_title="Bench",
        round_name="Round 1",
        shortlist=list(standings.ranking.index[:10]),
    )
    seconds = time.perf_counter() - start
    return [
        {
            "name": "Board report, 1,000 entries (standings with 1,000-resample bootstrap + HTML)",
            "value": seconds,
            "unit": "s",
            "goal": "<= 3 s",
        },
        {
            "name": "Board report size",
            "value": len(document.encode()) / 1024 / 1024,
            "unit": "MB",
            "goal": "<= 8 MB",
        },
    ]


def run() -> list[dict]:
    return report_build() + load_versus_compute()


if __name__ == "__main__":
    print(table(run()))
