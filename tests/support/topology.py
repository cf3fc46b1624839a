"""The deployed shape on loopback (tests/topology): its own redis-server, two gunicorn instances,
a Celery worker and beat, moto's S3 server and an SMTP sink, on a database of its own."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import httpx
import psycopg
from django.conf import settings

from tests.support.network import free_port
from tests.support.postgres import conninfo, database_url
from tests.support.processes import ROOT, Process, wait_for
from tests.support.redis import RedisServer
from tests.support.smtp import SmtpSink

TRUSTED_PROXY = "127.0.0.2"  # the test's "load balancer": loopback, from another source address


class Stack:
    def __init__(self, tmp: Path, moto_endpoint: str):
        # A database of its own, named after the one the suite was given.
        base = (settings.DATABASES["default"].get("NAME") or "metropolis").removeprefix("test_")
        self.dbname = f"{base}_topology_{uuid.uuid4().hex[:8]}"
        self.tmp = tmp
        self.logs = tmp / "logs"
        self.logs.mkdir()
        self.redis = RedisServer()
        self.smtp = SmtpSink()
        self.bucket = f"topology-{uuid.uuid4().hex[:8]}"
        self.moto_endpoint = moto_endpoint
        self.ports = [free_port(), free_port()]
        self.bases = [f"http://127.0.0.1:{port}" for port in self.ports]
        self.web: list[Process] = []
        self.worker: Process | None = None
        self.beat: Process | None = None
        self.seeded: dict = {}

    # --- environment -------------------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.tmp),
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(self.dbname),
            "DEBUG": "false",
            "SECRET_KEY": "topology-" + "k" * 50,
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; the proxy would do TLS
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "REDIS_URL": self.redis.url,
            "REDIS_TIMEOUT_SECONDS": "1",
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.moto_endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_S3_REGION_NAME": "us-east-1",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp.port),
            "EMAIL_TIMEOUT": "5",
            "TRUSTED_PROXIES": TRUSTED_PROXY,
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "LOGIN_THROTTLE": "1000/min",  # the lockout is what is under test, not DRF's rate
            "OUTBOX_POLL_SECONDS": "1",
            "OUTBOX_RETRY_BASE_SECONDS": "1",
            "OUTBOX_RETRY_MAX_SECONDS": "2",
            "OUTBOX_LEASE_SECONDS": "6",
            "CELERY_VISIBILITY_TIMEOUT": "8",
            "VERIFY_SWEEP_SECONDS": "5",
            "VERIFY_RETRY_AFTER_SECONDS": "20",
            "CELERY_BEAT_SCHEDULE_FILENAME": str(self.tmp / "celerybeat-schedule"),
            "STATIC_ROOT": str(self.tmp / "static"),
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "2",
        }
        return env

    # --- life cycle ------------------------------------------------------------------------
    def start(self) -> None:
        with psycopg.connect(conninfo("postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.dbname}"')
        self.redis.start()
        self.smtp.start()
        boto3.client(
            "s3",
            endpoint_url=self.moto_endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).create_bucket(Bucket=self.bucket)
        manage = [sys.executable, "manage.py"]
        run = {"cwd": ROOT, "env": self.env, "check": True, "capture_output": True, "text": True}
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], **run)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], **run)
        seeded = subprocess.run(
            [*manage, "shell", "-c", "from tests.topology.scenario import seed; seed()"], **run
        )
        self.seeded = json.loads(seeded.stdout.strip().splitlines()[-1])
        for number, port in enumerate(self.ports):
            self.web.append(self.gunicorn(f"web{number}", port, ROOT).start())
        self.worker = self.start_worker()
        self.beat = Process(
            "beat",
            [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info"],
            self.env,
            ROOT,
            self.logs,
        ).start()
        for base, process in zip(self.bases, self.web, strict=True):
            self.wait_http(base, process)
        self.wait_worker_ready()

    def gunicorn(self, name: str, port: int, cwd: Path, env: dict | None = None) -> Process:
        env = {**(env or self.env), "GUNICORN_BIND": f"127.0.0.1:{port}"}
        args = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"]
        return Process(name, [*args, "config.wsgi:application"], env, cwd, self.logs)

    def start_worker(self) -> Process:
        self._worker_starts = getattr(self, "_worker_starts", 0) + 1
        return Process(
            f"worker{self._worker_starts}",
            [
                *(sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "info"),
                *("--concurrency", "2", "-n", f"topology{self._worker_starts}@%h"),
            ],
            self.env,
            ROOT,
            self.logs,
        ).start()

    def wait_worker_ready(self, timeout: float = 60) -> None:
        worker = self.worker

        def ready():
            assert worker.alive(), f"the worker exited:\n{worker.log()[-3000:]}"
            return " ready." in worker.log()

        wait_for("the Celery worker is ready", ready, timeout)

    @staticmethod
    def wait_http(base: str, process: Process, timeout: float = 60) -> None:
        def answers():
            assert process.alive(), f"{process.name} exited:\n{process.log()[-3000:]}"
            try:
                return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(f"{process.name} answers /healthz", answers, timeout)

    def stop(self) -> None:
        for process in [*self.web, self.worker, self.beat]:
            if process is not None:
                process.stop()
        self.redis.stop()
        self.smtp.stop()
        with psycopg.connect(conninfo("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')

    # --- helpers for the scenarios --------------------------------------------------------
    def base(self, number: int) -> str:
        """The two instances alternately."""
        return self.bases[number % 2]

    def sql(self, query: str, *params) -> list[tuple]:
        with psycopg.connect(conninfo(self.dbname), autocommit=True) as connection:
            return connection.execute(query, params).fetchall()

    def request_line(self, request_id: str) -> dict:
        """The JSON log line one instance wrote for a request."""

        def find():
            for process in self.web:
                for line in process.json_lines():
                    if line.get("request_id") == request_id and line.get("status"):
                        return line
            return None

        return wait_for(f"the log line of request {request_id}", find, 10)
