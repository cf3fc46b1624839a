"""Shared pieces of the benchmarks: a throwaway project database and a gunicorn server."""

import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.network import free_port
from tests.support.processes import ROOT, terminate

__all__ = ["ROOT", "bench_environment", "free_port", "gunicorn", "table", "workdir"]


def bench_environment(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": env.get("BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"),
            "MEDIA_ROOT": str(workdir / "media"),
            "STORAGE_BACKEND": "local",
            "DEBUG": "true",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def setup_django(workdir: Path) -> None:
    """Point this process at a fresh database under workdir, migrated."""
    os.environ.update(bench_environment(workdir))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@contextmanager
def workdir():
    with tempfile.TemporaryDirectory(prefix="metropolis-bench-") as path:
        yield Path(path)


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 1, threads: int = 1):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/api/v1/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base, process
    finally:
        terminate(process)


def table(rows: list[dict]) -> str:
    lines = ["| figure | measured | goal |", "| --- | --- | --- |"]
    for row in rows:
        value = row["value"]
        shown = (
            f"{value:.3g} {row['unit']}" if isinstance(value, float) else f"{value} {row['unit']}"
        )
        lines.append(f"| {row['name']} | {shown} | {row.get('goal', '')} |")
    return "\n".join(lines)


def manage_shell(env: dict[str, str], script: str) -> str:
    """Migrate the throwaway database, run a script in `manage.py shell`, return its stdout."""
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout
