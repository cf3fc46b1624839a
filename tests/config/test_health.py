"""/healthz and /readyz (issue 11, item 6): bounded checks, a 503 that names what is down."""

import pytest
from django.core.cache import caches

from tests.support.network import free_port
from tests.support.redis import REDIS_SERVER, RedisServer

pytestmark = pytest.mark.django_db


def test_healthz_answers_whatever_the_host_and_before_any_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    answer = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_readyz_says_ready_when_everything_answers(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["down"] == []
    assert set(answer.json()["checks"]) == {"database", "cache", "storage", "broker"}


def redis_settings(settings, url: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.TASKS_EMBEDDED = False
    settings.CELERY_BROKER_URL = url


@pytest.mark.skipif(not REDIS_SERVER, reason="redis-server is not installed")
def test_readyz_names_the_cache_and_the_broker_when_redis_is_down(client, settings):
    server = RedisServer().start()
    try:
        redis_settings(settings, server.url)
        assert client.get("/readyz").status_code == 200
        server.stop()
        caches["default"].close()
        answer = client.get("/readyz")
    finally:
        server.stop()
    assert answer.status_code == 503
    assert answer.json()["down"] == ["cache", "broker"]
    assert answer.json()["checks"]["database"].startswith("ok")
    assert client.get("/healthz").status_code == 200


def test_readyz_names_the_storage_when_s3_does_not_answer(client, settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings.STORAGE_BACKEND = "s3"
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{free_port()}"
    s3_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage}
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.json()["down"] == ["storage"]


def test_an_api_call_that_meets_a_dead_cache_answers_a_clear_503(as_user, settings):
    from tests.factories import CityContactFactory

    redis_settings(settings, f"redis://127.0.0.1:{free_port()}/0")
    answer = as_user(CityContactFactory()).get("/api/v1/calls/")
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "service_unavailable"
    assert "Nothing you saved is lost" in answer.json()["error"]["message"]
