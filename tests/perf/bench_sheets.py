"""Issue 4: saving an 8-criterion score sheet under gunicorn (2 workers), beside a bare view.

Eight jurors each save their own sheet (PUT with If-Match, every value changed, so each save
writes 8 scores and 8 audit rows), driven on loopback by a bounded asyncio/httpx client: a
fixed number of requests, a fixed concurrency. The same load then goes to a minimal Django
view writing the same rows (tests/perf/minimal_views.py); the ratio of the two throughputs
says what the API's checks and framework cost. On SQLite writers serialize (one database
lock), so both figures are bounded by it; BENCH_DATABASE_URL=postgres://… measures PostgreSQL.

Run: python -m tests.perf.bench_sheets
"""

import asyncio
import statistics
import subprocess
import sys
import time

import httpx

from tests.perf.harness import ROOT, bench_environment, gunicorn, table, workdir

REQUESTS = 400
CONCURRENCY = 8
CRITERIA = 8
WARMUP = 3  # requests per client before measuring: imports and connections are made

PREPARE = """
from datetime import timedelta
from decimal import Decimal
from django.utils import timezone
from rest_framework.authtoken.models import Token
from jury.models import Assignment, JuryMember
from jury.models import Round
from scoring.models import Criterion, Score, ScoreSheet
from submissions.models import Call, Organization, Submission, User
now = timezone.now()
call = Call.objects.create(slug="bench", kind="award", title="Bench", themes=[],
                           opens_at=now - timedelta(days=60), deadline=now - timedelta(days=30))
round_ = Round.objects.create(call=call, number=1, name="First round",
                              jury_deadline=now + timedelta(days=30))
criteria = [Criterion.objects.create(round=round_, key=f"c{i}", label=f"Criterion {i}",
                                     step=Decimal("0.5"), order=i) for i in range(CRITERIA)]
for i in range(CONCURRENCY):
    org = Organization.objects.create(name=f"City {i}", city=f"City {i}", country=f"Country {i}",
                                      region="europe")
    entry = Submission.objects.create(call=call, organization=org, title=f"Entry {i}",
                                      status="eligible")
    juror = User.objects.create(username=f"juror{i}", role="juror")
    JuryMember.objects.create(call=call, juror=juror)
    sheet = ScoreSheet.objects.create(
        assignment=Assignment.objects.create(round=round_, submission=entry, juror=juror)
    )
    Score.objects.bulk_create(Score(sheet=sheet, criterion=c, value=5) for c in criteria)
    print("SHEET", Token.objects.create(user=juror).key, sheet.pk)
"""


def _prepare(env: dict[str, str]) -> list[tuple[str, int]]:
    run = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run)
    subprocess.run([sys.executable, "manage.py", "flush", "--no-input", "-v0"], **run)
    script = PREPARE.replace("CRITERIA", str(CRITERIA)).replace("CONCURRENCY", str(CONCURRENCY))
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], capture_output=True, text=True, **run
    ).stdout
    return [(line.split()[1], int(line.split()[2])) for line in out.splitlines() if "SHEET" in line]


async def _drive(base: str, sheets: list[tuple[str, int]], url: str) -> tuple[float, list[float]]:
    """REQUESTS saves over CONCURRENCY clients, each on its own sheet: (seconds, latencies)."""
    latencies: list[float] = []
    per_client = REQUESTS // CONCURRENCY
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:

        async def one_client(token: str, sheet: int, count: int, measured: bool) -> None:
            headers = {"Authorization": f"Token {token}"}
            current = await client.get(f"/api/v1/score-sheets/{sheet}/", headers=headers)
            etag, value = current.headers["ETag"], current.json()["scores"][0]["value"]
            for _ in range(count):
                value = 6 if value != 6 else 7  # every save changes all the values
                body = {
                    "scores": [{"criterion": f"c{i}", "value": value} for i in range(CRITERIA)],
                    "comment": "",
                }
                started = time.perf_counter()
                answer = await client.put(
                    url.format(sheet=sheet), json=body, headers={**headers, "If-Match": etag}
                )
                elapsed = time.perf_counter() - started
                if answer.status_code != 200:
                    raise RuntimeError(f"save failed: {answer.status_code} {answer.text[:300]}")
                etag = answer.headers["ETag"]
                if measured:
                    latencies.append(elapsed)

        await asyncio.gather(*(one_client(t, s, WARMUP, False) for t, s in sheets))
        started = time.perf_counter()
        await asyncio.gather(*(one_client(t, s, per_client, True) for t, s in sheets))
        return time.perf_counter() - started, latencies


def _rows(label: str, seconds: float, latencies: list[float]) -> tuple[float, list[dict]]:
    rate = len(latencies) / seconds
    cuts = statistics.quantiles(latencies, n=100)
    return rate, [
        {"name": f"{label}: throughput", "value": rate, "unit": "req/s", "goal": ""},
        {"name": f"{label}: p50 latency", "value": cuts[49] * 1000, "unit": "ms", "goal": ""},
        {"name": f"{label}: p99 latency", "value": cuts[98] * 1000, "unit": "ms", "goal": ""},
    ]


def run() -> list[dict]:
    with workdir() as path:
        env = bench_environment(path)
        env["DJANGO_SETTINGS_MODULE"] = "tests.perf.bench_settings"
        database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
        sheets = _prepare(env)
        if len(sheets) != CONCURRENCY:
            raise RuntimeError("the benchmark's sheets could not be prepared")
        with gunicorn(env, workers=2) as (base, _):
            api = asyncio.run(_drive(base, sheets, "/api/v1/score-sheets/{sheet}/"))
            bare = asyncio.run(_drive(base, sheets, "/bench/minimal-sheet/{sheet}/"))
    where = f"{database}, gunicorn 2 workers, {REQUESTS} saves, concurrency {CONCURRENCY}"
    api_rate, api_rows = _rows(f"PUT /api/v1/score-sheets/{{id}}/ ({where})", *api)
    bare_rate, bare_rows = _rows(f"minimal Django view, same rows ({where})", *bare)
    ratio = {
        "name": f"API / minimal view throughput ({database})",
        "value": api_rate / bare_rate,
        "unit": "",
        "goal": ">= 0.5",
    }
    return [*api_rows, *bare_rows, ratio]


if __name__ == "__main__":
    print(table(run()))
