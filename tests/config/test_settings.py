"""The deployed shape chosen from the environment (issue 11, items 1, 4 and 8): one cache for
every process, a broker or tasks in the same process, and `migrate` creating the cache table."""

import json
import subprocess
import sys

import pytest
from django.core.cache import cache

from submissions.apps import create_cache_table
from tests.perf.harness import ROOT

SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'cache': s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], "
    "'embedded': s.TASKS_EMBEDDED, 'broker': s.CELERY_BROKER_URL, "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'acks_late': s.CELERY_TASK_ACKS_LATE}))"
)


def settings_for(tmp_path, **env) -> dict:
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": "x" * 50,
    }
    done = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_with_redis_every_process_shares_the_redis_cache_and_broker(tmp_path):
    shown = settings_for(tmp_path, DEBUG="false", REDIS_URL="redis://10.0.0.9:6379/0")
    assert shown == {
        "cache": "RedisCache",
        "embedded": False,
        "broker": "redis://10.0.0.9:6379/0",
        "eager": False,
        "acks_late": True,
    }


def test_rabbitmq_can_be_the_broker_beside_the_redis_cache(tmp_path):
    shown = settings_for(
        tmp_path,
        DEBUG="false",
        REDIS_URL="redis://10.0.0.9:6379/0",
        CELERY_BROKER_URL="amqp://guest:guest@10.0.0.8:5672//",
    )
    assert shown["cache"] == "RedisCache" and shown["broker"].startswith("amqp://")


def test_in_production_without_redis_the_cache_is_the_database_never_process_memory(tmp_path):
    shown = settings_for(tmp_path, DEBUG="false")
    assert shown["cache"] == "DatabaseCache"
    assert shown["embedded"] and shown["eager"]  # tasks run in the process, after the commit


def test_make_run_needs_no_service(tmp_path):
    shown = settings_for(tmp_path)  # DEBUG on, nothing else: `make run`
    assert shown["cache"] == "LocMemCache" and shown["embedded"]


@pytest.mark.django_db
def test_migrate_creates_the_database_cache_table_when_that_cache_is_used(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "metropolis_test_cache",
        }
    }
    create_cache_table(sender=None)  # what post_migrate runs
    cache.set("lockout", 3, 60)
    assert cache.incr("lockout") == 4 and cache.get("lockout") == 4
