"""Issue 11: a 2 GB direct upload checked by a real Celery worker (solo pool, so the task runs
in the measured process), against moto's S3 server: the check's wall time, complete (202) to
checked, and the worker's RSS growth while it copies and reads the file (goal: < 100 MB).

Run: python -m tests.perf.bench_upload_check
"""

import hashlib
import os
import sys
import threading
import time
from pathlib import Path

import boto3
import httpx
import psutil

from tests.perf.bench_production import manage, production_env, web, worker
from tests.perf.harness import ROOT, bench_environment, free_port, table, workdir
from tests.support.redis import RedisServer

BIG_FILE = 2 * 1024**3


# --- the scenario ------------------------------------------------------

UPLOAD_PREPARE = """
from datetime import timedelta
from django.utils import timezone
from rest_framework.authtoken.models import Token
from submissions.models import Call, Organization, Submission, User
org = Organization.objects.create(name="Big City", city="Big", country="X", region="europe",
                                  dues_paid_through=2030)
user = User.objects.create(username="bench-big", role="city_contact", organization=org)
call = Call.objects.create(slug="bench-big", kind="award", title="Bench", themes=[],
                           opens_at=timezone.now() - timedelta(days=1),
                           deadline=timezone.now() + timedelta(days=1),
                           max_file_size=MAX_SIZE)
submission = Submission.objects.create(call=call, organization=org, title="Bench")
print("BIG", Token.objects.create(user=user).key, submission.pk)
"""


def big_upload_rows(env: dict, tmp: Path) -> list[dict]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    redis = RedisServer().start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        s3 = {
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": "bench-big",
            "AWS_S3_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        }
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).create_bucket(Bucket="bench-big")
        shaped = {**production_env(env, redis, tmp), **s3}
        manage(shaped, "flush", "--no-input", "-v0")
        out = manage(shaped, "shell", "-c", UPLOAD_PREPARE.replace("MAX_SIZE", str(BIG_FILE)))
        token, entry = next(line.split()[1:] for line in out.splitlines() if line.startswith("BIG"))
        headers = {"Authorization": f"Token {token}"}
        with (
            worker(shaped, tmp / "big-worker.log", "--pool", "solo") as child,
            web(shaped, tmp / "big-web.log", instances=1, workers=1) as bases,
        ):
            base = bases[0]
            started = httpx.post(
                f"{base}/api/v1/submissions/{entry}/attachments/uploads/",
                json={
                    "filename": "film.mp4",
                    "content_type": "video/mp4",
                    "size": BIG_FILE,
                    "kind": "video",
                },
                headers=headers,
                timeout=60,
            ).json()
            upload = started["upload"]
            digest = hashlib.sha256()
            parts = []
            head = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 8
            for part in upload["parts"]:
                offset = (part["part_number"] - 1) * upload["part_size"]
                length = min(upload["part_size"], BIG_FILE - offset)
                chunk = bytes([part["part_number"] % 251]) * length
                if offset == 0:
                    chunk = head + chunk[len(head) :]
                digest.update(chunk)
                sent = httpx.put(part["url"], content=chunk, timeout=300)
                parts.append({"part_number": part["part_number"], "etag": sent.headers["ETag"]})
                del chunk
            rss = psutil.Process(child.pid)
            before = rss.memory_info().rss
            peak = [before]
            done = threading.Event()

            def sample():
                while not done.is_set():
                    peak[0] = max(peak[0], rss.memory_info().rss)
                    time.sleep(0.05)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            clock = time.perf_counter()
            completed = httpx.post(
                f"{base}{started['complete_url']}",
                json={"parts": parts},
                headers=headers,
                timeout=600,
            )
            assert completed.status_code == 202, completed.text
            while True:
                state = httpx.get(
                    f"{base}/api/v1/attachments/{started['attachment']}/",
                    headers=headers,
                    timeout=60,
                ).json()
                if state["state"] != "verifying":
                    break
                time.sleep(0.5)
            elapsed = time.perf_counter() - clock
            done.set()
            sampler.join()
        if state["state"] != "complete" or state["sha256"] != digest.hexdigest():
            raise RuntimeError(f"the 2 GB check failed: {state}")
    finally:
        redis.stop()
        moto.stop()
    return [
        {
            "name": "2 GB direct upload: complete (202) to checked, by the worker",
            "value": elapsed,
            "unit": "s",
            "goal": "",
        },
        {
            "name": "2 GB direct upload: worker RSS growth while checking",
            "value": (peak[0] - before) / 1024**2,
            "unit": "MB",
            "goal": "< 100 MB",
        },
    ]


def run() -> list[dict]:
    with workdir() as path:
        env = bench_environment(path)
        env["PYTHONPATH"] = str(ROOT)
        env["DATABASE_URL"] = os.environ.get("PRODUCTION_BENCH_DATABASE_URL") or env["DATABASE_URL"]
        return big_upload_rows(env, path)


if __name__ == "__main__":
    print(table(run()), file=sys.stdout)
