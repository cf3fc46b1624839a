"""One JSON line per request with its request id, echoed back (issue 11, item 6)."""

import json
import logging
import subprocess
import sys

import pytest

from config.logs import JsonFormatter
from tests.perf.harness import ROOT

pytestmark = pytest.mark.django_db


def test_a_request_id_from_the_proxy_is_kept_and_echoed(client):
    answer = client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-7f3a.42")
    assert answer["X-Request-ID"] == "lb-7f3a.42"


@pytest.mark.parametrize("sent", [None, "", "two words", "x" * 200, "evil\r\nSet-Cookie: a=b"])
def test_without_a_sane_request_id_one_is_made(client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}
    made = client.get("/accounts/login/", **headers)["X-Request-ID"]
    assert len(made) == 32 and int(made, 16) >= 0


def test_each_request_writes_one_json_line_with_who_what_and_how_long(client, caplog):
    from tests.factories import CityContactFactory

    contact = CityContactFactory(username="lisboa")
    client.force_login(contact)
    with caplog.at_level(logging.INFO):
        answer = client.get("/city/", HTTP_X_REQUEST_ID="req-1")
        logging.getLogger("metropolis.other").info("outside any request")
    [record] = [r for r in caplog.records if r.name == "metropolis.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")
    assert line["request_id"] == "req-1" == answer["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/city/", 200)
    assert line["user"] == "lisboa" and line["duration_ms"] > 0
    [outside] = [r for r in caplog.records if r.name == "metropolis.other"]
    assert json.loads(JsonFormatter().format(outside))["request_id"] == "-"


def test_in_production_every_log_line_on_stderr_is_json(tmp_path):
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('metropolis.test').warning('hello %s', 'world', extra={'n': 1})"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    [line] = [json.loads(text) for text in done.stderr.splitlines() if text.strip()]
    assert line["message"] == "hello world" and line["n"] == 1 and line["level"] == "WARNING"
