"""Issue 2: memory while a 200 MB file streams through the platform, and the list's queries.

Run: python -m tests.perf.bench_uploads
"""

import threading
import time

import httpx
import psutil

from tests.perf.harness import bench_environment, gunicorn, manage_shell, table, workdir

FILE_MB = 200
CHUNK = 1024 * 1024

PREPARE = """
from datetime import timedelta
from django.utils import timezone
from rest_framework.authtoken.models import Token
from submissions.models import Call, Organization, Submission, User
org = Organization.objects.create(name="Bench City", city="Bench", country="X", region="europe",
                                  dues_paid_through=2030)
user = User.objects.create(username="bench", role="city_contact", organization=org)
call = Call.objects.create(slug="bench", kind="award", title="Bench", themes=[],
                           opens_at=timezone.now() - timedelta(days=1),
                           deadline=timezone.now() + timedelta(days=1),
                           max_file_size=300 * 1024 * 1024)
submission = Submission.objects.create(call=call, organization=org, title="Bench")
print(Token.objects.create(user=user).key, submission.pk)
"""


def _multipart_body(boundary: str):
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nvideo\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    yield b"%PDF-1.4\n" + b"0" * (CHUNK - 9)
    block = b"1" * CHUNK
    for _ in range(FILE_MB - 1):
        yield block
    yield f"\r\n--{boundary}--\r\n".encode()


def upload_memory() -> list[dict]:
    with workdir() as path:
        env = bench_environment(path)
        out = manage_shell(env, PREPARE).split()
        token, submission = out[-2], out[-1]
        with gunicorn(env, workers=1) as (base, master):
            workers = psutil.Process(master.pid).children(recursive=True)
            processes = [psutil.Process(master.pid), *workers]
            baseline = max(p.memory_info().rss for p in processes)
            peak = baseline
            done = threading.Event()

            def sample():
                nonlocal peak
                while not done.is_set():
                    peak = max(peak, *(p.memory_info().rss for p in processes))
                    time.sleep(0.01)

            sampler = threading.Thread(target=sample)
            sampler.start()
            boundary = "----bench"
            length = sum(len(part) for part in _multipart_body(boundary))
            started = time.perf_counter()
            answer = httpx.post(
                f"{base}/api/v1/submissions/{submission}/attachments/",
                content=_multipart_body(boundary),
                headers={
                    "Authorization": f"Token {token}",
                    "Content-Length": str(length),
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                },
                timeout=600,
            )
            elapsed = time.perf_counter() - started
            done.set()
            sampler.join()
            if answer.status_code != 201:
                raise SystemExit(f"upload failed: {answer.status_code} {answer.text[:300]}")
    growth = (peak - baseline) / 1024 / 1024
    return [
        {
            "name": f"server peak RSS growth, {FILE_MB} MB upload (path a)",
            "value": growth,
            "unit": "MB",
            "goal": "< 100 MB",
        },
        {"name": f"{FILE_MB} MB upload time", "value": elapsed, "unit": "s", "goal": ""},
    ]


def list_query_counts() -> list[dict]:
    with workdir() as path:
        env = bench_environment(path)
        script = """
from datetime import timedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from submissions.models import Call, Organization, Submission, User
staff = User.objects.create(username="staff", role="secretariat", is_staff=True)
call = Call.objects.create(slug="q", kind="award", title="Q", opens_at=timezone.now(),
                           deadline=timezone.now() + timedelta(days=1))
orgs = [Organization.objects.create(name=f"O{i}", city="c", country="c", region="europe")
        for i in range(50)]
client = APIClient(); client.force_authenticate(staff)
counts = []
for total in (50, 500):
    have = Submission.objects.count()
    Submission.objects.bulk_create([Submission(call=call, organization=orgs[i % 50], title=f"S{i}")
                                    for i in range(have, total)])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/submissions/?call=q&page_size=500").status_code == 200
    counts.append(len(queries))
print(*counts)
"""
        out = manage_shell(env, script).split()
    fifty, five_hundred = int(out[-2]), int(out[-1])
    return [
        {
            "name": "SQL queries, GET /api/v1/submissions/?call=… with 50 entries",
            "value": fifty,
            "unit": "queries",
            "goal": "equal to the 500 figure",
        },
        {
            "name": "SQL queries, GET /api/v1/submissions/?call=… with 500 entries",
            "value": five_hundred,
            "unit": "queries",
            "goal": "equal to the 50 figure",
        },
    ]


def run() -> list[dict]:
    return upload_memory() + list_query_counts()


if __name__ == "__main__":
    print(table(run()))
