"""Errors reach Sentry when SENTRY_DSN is set (issue 11, item 6): a real sentry-sdk sending to a
small HTTP endpoint on loopback that keeps what it receives."""

import gzip
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.perf.harness import ROOT

SCRIPT = """
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings
import sentry_sdk
with override_settings(ROOT_URLCONF="tests.config.boom_urls", ALLOWED_HOSTS=["*"]):
    answer = Client(raise_request_exception=False).get("/boom/", HTTP_X_REQUEST_ID="req-boom-1")
print(answer.status_code)
sentry_sdk.flush(5)
"""


class _Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        _Collector.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_an_error_in_a_request_reaches_sentry_with_its_request_id(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/42",
        }
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
        )
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "500"
    items = [
        json.loads(line)
        for body in _Collector.received
        for line in body.splitlines()
        if line.startswith(b"{")
    ]
    [event] = [item for item in items if "exception" in item]
    [error] = event["exception"]["values"]
    assert error["type"] == "RuntimeError" and "broke on purpose" in error["value"]
    assert event["tags"]["request_id"] == "req-boom-1"
