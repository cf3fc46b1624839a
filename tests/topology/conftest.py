"""The deployed shape on loopback: its own redis-server, two gunicorn instances of 2 workers each,
a Celery worker and beat, moto's S3 server and an SMTP sink, on a database of its own.

PostgreSQL only (the shape it proves runs on it); skipped on SQLite with the reason. With
REQUIRE_TOPOLOGY=1 (as in .ci/run's PostgreSQL run) a missing piece fails instead. Every wait
is bounded; the processes are stopped and the database dropped whatever happens.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import httpx
import psycopg
import pytest
from django.conf import settings

from tests.support.redis import REDIS_SERVER, RedisServer
from tests.support.smtp import SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[2]
_DB = settings.DATABASES["default"]
ON_POSTGRES = _DB["ENGINE"] == "django.db.backends.postgresql"
REQUIRED = os.environ.get("REQUIRE_TOPOLOGY") == "1"
TRUSTED_PROXY = "127.0.0.2"  # the test's "load balancer": loopback, from another source address


def _missing() -> str | None:
    if not ON_POSTGRES:
        return "the topology test runs on PostgreSQL only (set DATABASE_URL=postgres://...)"
    if not REDIS_SERVER:
        return "redis-server is not installed (apt-get install redis-server)"
    return None


MISSING = _missing()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/topology/" not in str(item.fspath).replace(os.sep, "/"):
            continue
        if MISSING and (not REQUIRED or not ON_POSTGRES):
            item.add_marker(pytest.mark.skip(reason=MISSING))


def wait_for(what: str, check, timeout: float, every: float = 0.2):
    """Poll `check` until it returns something truthy; fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        time.sleep(every)


class Process:
    """A child process in its own process group, its output in a log file."""

    def __init__(self, name: str, args: list[str], env: dict, cwd: Path, logs: Path):
        self.name, self.args, self.env, self.cwd = name, args, env, cwd
        self.log_path = logs / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Process":
        with self.log_path.open("a") as out:
            self.process = subprocess.Popen(
                self.args,
                cwd=self.cwd,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: a kill reaches its children too
            )
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole group (a prefork worker's children too): nothing cleans up."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def json_lines(self) -> list[dict]:
        lines = []
        for text in self.log().splitlines():
            if text.startswith("{"):
                try:
                    lines.append(json.loads(text))
                except ValueError:
                    continue
        return lines


def _conninfo(dbname: str) -> str:
    options = {
        "host": _DB.get("HOST") or "127.0.0.1",
        "port": str(_DB.get("PORT") or 5432),
        "user": _DB.get("USER") or "postgres",
        "dbname": dbname,
    }
    if _DB.get("PASSWORD"):
        options["password"] = _DB["PASSWORD"]
    return psycopg.conninfo.make_conninfo(**options)


def _database_url(dbname: str) -> str:
    user, password = _DB.get("USER") or "postgres", _DB.get("PASSWORD") or ""
    credentials = f"{user}:{password}" if password else user
    host, port = _DB.get("HOST") or "127.0.0.1", _DB.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{dbname}"


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
            "DATABASE_URL": _database_url(self.dbname),
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
        with psycopg.connect(_conninfo("postgres"), autocommit=True) as admin:
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
        with psycopg.connect(_conninfo("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')

    # --- helpers for the scenarios --------------------------------------------------------
    def base(self, number: int) -> str:
        """The two instances alternately."""
        return self.bases[number % 2]

    def sql(self, query: str, *params) -> list[tuple]:
        with psycopg.connect(_conninfo(self.dbname), autocommit=True) as connection:
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


@pytest.fixture(scope="module")
def stack(tmp_path_factory, moto_endpoint):
    if MISSING:
        pytest.fail(f"REQUIRE_TOPOLOGY=1 but {MISSING}")
    built = Stack(tmp_path_factory.mktemp("topology"), moto_endpoint)
    try:
        built.start()
        yield built
    finally:
        built.stop()
        logs = ROOT / "tests" / "topology" / "logs"
        if os.environ.get("TOPOLOGY_KEEP_LOGS"):
            shutil.copytree(built.logs, logs, dirs_exist_ok=True)
