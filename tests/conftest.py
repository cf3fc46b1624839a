import pytest
from rest_framework.test import APIClient

from tests.support.clients import client_for


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()  # throttles and login counters start afresh in every test
    # Messages are worded when they are read, in the active language: a request of an earlier
    # test (a French page, say) must not leave its language to this one.
    translation.activate(settings.LANGUAGE_CODE)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": None},
        },
    }
    settings.STORAGE_BACKEND = "local"
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login": "1000/min", "anon": "10000/min", "user": "100000/min"},
    }


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user():
    return client_for


# --- S3 over HTTP: moto's server in a thread, reached by boto3 and by plain HTTP clients ------


@pytest.fixture(scope="session")
def moto_endpoint():
    import socket

    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(settings, moto_endpoint, monkeypatch):
    """Switch the default storage to S3Storage on a fresh bucket of the moto server."""
    import uuid

    import boto3

    bucket = f"test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGE_BACKEND = "s3"
    settings.AWS_STORAGE_BUCKET_NAME = bucket
    settings.AWS_S3_ENDPOINT_URL = moto_endpoint
    settings.AWS_ACCESS_KEY_ID = "testing"
    settings.AWS_SECRET_ACCESS_KEY = "testing"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    client.bucket = bucket
    return client
