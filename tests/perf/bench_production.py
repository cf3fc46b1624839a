"""Issue 11: what the production shape costs, and where its ceiling is.

1. Sheet saves per second under the production settings (Redis cache, JSON request lines,
   request ids, DEBUG off; two gunicorn instances of one worker each sharing the two cores)
   against today's single instance (two workers, per-process cache, no request log).
2. Queries and database time per save, measured in process; from them the saves per second
   one PostgreSQL can take whatever the number of web machines.
3. Page and API p50 while the SMTP server takes 2 s per message: the production shape (mail
   queued, sent by the worker) against SMTP answering at once, and against the embedded
   default (mail sent in the web process right after the commit).
(The 2 GB upload check is tests/perf/bench_upload_check.py.)

PostgreSQL when PRODUCTION_BENCH_DATABASE_URL (or BENCH_DATABASE_URL) names one (its database
is flushed), else SQLite: `PRODUCTION_BENCH_DATABASE_URL=postgres://… make bench`.
Run: python -m tests.perf.bench_production
"""

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from tests.perf.bench_sheets import CONCURRENCY, CRITERIA, PREPARE, WARMUP
from tests.perf.harness import ROOT, bench_environment, free_port, table, workdir
from tests.support.processes import terminate
from tests.support.redis import RedisServer
from tests.support.smtp import SmtpSink

SAVES = 400
ROUNDS = 3  # each shape measured this many times, alternately; medians reported
LATENCY_SAMPLES = 40
WSGI = "config.wsgi:application"


# --- processes ---------------------------------------------------------------------------------


@contextmanager
def process(args: list[str], env: dict, log: Path):
    with log.open("a") as out:
        child = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield child
    finally:
        terminate(child)


@contextmanager
def web(env: dict, log: Path, *, instances: int, workers: int):
    """`instances` gunicorns of `workers` workers each, from config/gunicorn.conf.py."""
    ports = [free_port() for _ in range(instances)]
    with contextmanager_stack(
        process(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", WSGI],
            {
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": str(workers),
                "GUNICORN_THREADS": "1",
            },
            log,
        )
        for port in ports
    ):
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-2000:]}")
                time.sleep(0.2)
        yield bases


@contextmanager
def contextmanager_stack(managers):
    with ExitStack() as stack:
        yield [stack.enter_context(m) for m in managers]


@contextmanager
def worker(env: dict, log: Path, *extra: str):
    args = [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "info", *extra]
    with process(args, env, log) as child:
        deadline = time.monotonic() + 60
        while " ready." not in log.read_text(errors="replace"):
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield child


def production_env(env: dict, redis: RedisServer, tmp: Path) -> dict:
    return {
        **env,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "k" * 50,
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": redis.url,
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "TRUSTED_PROXIES": "127.0.0.2",
        "STATIC_ROOT": str(tmp / "static"),
    }


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


# --- 1. sheet saves per second -----------------------------------------------------------------


def prepare_sheets(env: dict) -> list[tuple[str, int]]:
    manage(env, "migrate", "-v0")
    manage(env, "flush", "--no-input", "-v0")
    script = PREPARE.replace("CRITERIA", str(CRITERIA)).replace("CONCURRENCY", str(CONCURRENCY))
    out = manage(env, "shell", "-c", script)
    return [(line.split()[1], int(line.split()[2])) for line in out.splitlines() if "SHEET" in line]


async def drive_saves(bases: list[str], sheets: list[tuple[str, int]]) -> float:
    """SAVES saves over CONCURRENCY clients, client i on instance i mod len(bases): saves/s."""
    per_client = SAVES // CONCURRENCY
    async with httpx.AsyncClient(timeout=120) as client:

        async def one(number: int, token: str, sheet: int, count: int) -> None:
            base = bases[number % len(bases)]
            headers = {"Authorization": f"Token {token}"}
            current = await client.get(f"{base}/api/v1/score-sheets/{sheet}/", headers=headers)
            etag, value = current.headers["ETag"], current.json()["scores"][0]["value"]
            for _ in range(count):
                value = 6 if value != 6 else 7
                body = {
                    "scores": [{"criterion": f"c{i}", "value": value} for i in range(CRITERIA)],
                    "comment": "",
                }
                answer = await client.put(
                    f"{base}/api/v1/score-sheets/{sheet}/",
                    json=body,
                    headers={**headers, "If-Match": etag},
                )
                if answer.status_code != 200:
                    raise RuntimeError(f"save failed: {answer.status_code} {answer.text[:300]}")
                etag = answer.headers["ETag"]

        await asyncio.gather(*(one(n, t, s, WARMUP) for n, (t, s) in enumerate(sheets)))
        started = time.perf_counter()
        await asyncio.gather(*(one(n, t, s, per_client) for n, (t, s) in enumerate(sheets)))
        return per_client * len(sheets) / (time.perf_counter() - started)


DB_TIME = """
import json, time
from django.db import connection
from rest_framework.test import APIClient
from rest_framework.authtoken.models import Token
from scoring.models import ScoreSheet
sheet = ScoreSheet.objects.select_related("assignment__juror").first()
client = APIClient()
client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.get(user=sheet.assignment.juror).key)
timings = []
def timed(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        timings[-1].append(time.perf_counter() - started)
etag = client.get(f"/api/v1/score-sheets/{sheet.pk}/")["ETag"]
value = 5
for _ in range(60):
    value = 6 if value != 6 else 7
    body = {"scores": [{"criterion": f"c{i}", "value": value} for i in range(CRITERIA)],
            "comment": ""}
    timings.append([])
    with connection.execute_wrapper(timed):
        answer = client.put(f"/api/v1/score-sheets/{sheet.pk}/", body, format="json",
                            HTTP_IF_MATCH=etag)
    assert answer.status_code == 200, answer.content
    etag = answer["ETag"]
saves = timings[10:]
print(json.dumps({"queries": statistics.median(len(t) for t in saves),
                  "db_ms": statistics.median(sum(t) for t in saves) * 1000}))
"""


def saves_rows(env: dict, tmp: Path) -> list[dict]:
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    sheets = prepare_sheets(env)
    baseline_env = {**env, "LOG_LEVEL": "WARNING"}  # today: per-process cache, no request log
    baselines, shapes = [], []
    redis = RedisServer().start()
    try:
        production = production_env(env, redis, tmp)
        # Alternated, so that load from elsewhere on the machine falls on both alike.
        for _ in range(ROUNDS):
            with web(baseline_env, tmp / "baseline.log", instances=1, workers=2) as bases:
                baselines.append(asyncio.run(drive_saves(bases, sheets)))
            with web(production, tmp / "production.log", instances=2, workers=1) as bases:
                shapes.append(asyncio.run(drive_saves(bases, sheets)))
        lines = sum(1 for _ in (tmp / "production.log").open() if '"metropolis.request"' in _)
    finally:
        redis.stop()
    baseline, shaped = statistics.median(baselines), statistics.median(shapes)
    script = "import statistics\n" + DB_TIME.replace("CRITERIA", str(CRITERIA))
    measured = json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])
    cores = os.cpu_count() or 1
    where = f"{database}, {SAVES} saves, concurrency {CONCURRENCY}, median of {ROUNDS} runs"
    return [
        {
            "name": f"sheet saves, today's single instance, 2 workers ({where})",
            "value": baseline,
            "unit": "saves/s",
            "goal": "",
        },
        {
            "name": f"sheet saves, production shape: 2 instances x 1 worker, Redis cache, JSON "
            f"request lines ({where})",
            "value": shaped,
            "unit": "saves/s",
            "goal": "",
        },
        {
            "name": "production shape / single instance",
            "value": shaped / baseline,
            "unit": "",
            "goal": ">= 0.9",
        },
        {
            "name": "JSON request lines written during the production runs",
            "value": lines,
            "unit": "lines",
            "goal": f">= {ROUNDS * (SAVES + CONCURRENCY * (WARMUP + 1))}",
        },
        {
            "name": f"SQL queries per sheet save ({database})",
            "value": measured["queries"],
            "unit": "queries",
            "goal": "",
        },
        {
            "name": f"database time per sheet save ({database}, median, client side)",
            "value": measured["db_ms"],
            "unit": "ms",
            "goal": "",
        },
        {
            "name": f"ceiling: saves/s one database of {cores} cores can take "
            f"({cores} x 1000 / database ms per save)",
            "value": cores * 1000 / measured["db_ms"],
            "unit": "saves/s",
            "goal": "",
        },
    ]


# --- 3. latency while SMTP is slow -------------------------------------------------------------

MAIL_PREPARE = """
from rest_framework.authtoken.models import Token
from submissions.models import User
staff = User.objects.create(username="bench-staff", role="secretariat", is_staff=True)
invitee = User.objects.create(username="bench-invitee", email="invitee@example.org")
print("MAIL", Token.objects.create(user=staff).key, invitee.pk)
"""


def p50(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def measure_latency(base: str, token: str, invitee: int) -> tuple[float, float]:
    """(login page p50, mail-sending API p50) in ms over LATENCY_SAMPLES requests each."""
    page, api = [], []
    headers = {"Authorization": f"Token {token}"}
    with httpx.Client(timeout=60) as client:
        for _ in range(3):
            client.get(f"{base}/accounts/login/")
        for _ in range(LATENCY_SAMPLES):
            started = time.perf_counter()
            assert client.get(f"{base}/accounts/login/").status_code == 200
            page.append(time.perf_counter() - started)
            started = time.perf_counter()
            answer = client.post(f"{base}/api/v1/users/{invitee}/invite/", headers=headers)
            assert answer.status_code == 204, answer.text
            api.append(time.perf_counter() - started)
    return p50(page), p50(api)


def smtp_rows(env: dict, tmp: Path) -> list[dict]:
    manage(env, "flush", "--no-input", "-v0")
    out = manage(env, "shell", "-c", MAIL_PREPARE)
    token, invitee = next(line.split()[1:] for line in out.splitlines() if line.startswith("MAIL"))
    rows = []
    redis = RedisServer().start()
    manage(production_env(env, redis, tmp), "collectstatic", "--noinput", "-v0")
    try:
        for delay, label in ((0.0, "SMTP answers at once"), (2.0, "SMTP takes 2 s a message")):
            sink = SmtpSink(delay=delay).start()
            mail = {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(sink.port),
            }
            shaped = {**production_env(env, redis, tmp), **mail}
            try:
                with (
                    worker(shaped, tmp / "mail-worker.log", "--concurrency", "2"),
                    web(shaped, tmp / "mail-web.log", instances=2, workers=1) as bases,
                ):
                    page, api = measure_latency(bases[0], token, int(invitee))
                rows += [
                    {
                        "name": f"production shape, {label}: login page p50",
                        "value": page,
                        "unit": "ms",
                        "goal": "unchanged within noise",
                    },
                    {
                        "name": f"production shape, {label}: POST /users/{{id}}/invite/ (mails) "
                        "p50",
                        "value": api,
                        "unit": "ms",
                        "goal": "unchanged within noise",
                    },
                ]
                if delay:
                    embedded = {**env, **mail, "LOG_LEVEL": "WARNING"}  # no REDIS_URL
                    with web(embedded, tmp / "embedded.log", instances=1, workers=2) as bases:
                        page, api = measure_latency(bases[0], token, int(invitee))
                    rows.append(
                        {
                            "name": f"embedded default (no Redis), {label}: POST "
                            "/users/{id}/invite/ p50",
                            "value": api,
                            "unit": "ms",
                            "goal": "(the request sends the mail itself)",
                        }
                    )
            finally:
                sink.stop()
    finally:
        redis.stop()
    return rows


def run(parts=None) -> list[dict]:
    with workdir() as path:
        env = bench_environment(path)
        env["PYTHONPATH"] = str(ROOT)
        env["DATABASE_URL"] = os.environ.get("PRODUCTION_BENCH_DATABASE_URL") or env["DATABASE_URL"]
        rows = []
        for part in parts or (saves_rows, smtp_rows):
            rows += part(env, path)
            print(table(rows), file=sys.stderr, flush=True)
    return rows


if __name__ == "__main__":  # `python -m tests.perf.bench_production [saves|smtp]`
    chosen = {"saves": saves_rows, "smtp": smtp_rows}
    print(table(run([chosen[name] for name in sys.argv[1:]])))
