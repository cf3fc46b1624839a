"""Issue 11, proven in the deployed shape (see conftest.py for what runs). Through both gunicorn
instances alternately:

- 5 wrong passwords spread over the two instances lock the account on both; a forged
  X-Forwarded-For from an untrusted address changes nothing, the same header from a trusted
  proxy does;
- a city's direct upload is verified by the worker, then submitted; the receipt reaches the
  SMTP sink exactly once, also when the worker is killed (SIGKILL) while delivering it and
  started again, and when the delivery task is sent twice more;
- with the SMTP sink stopped, mail stays pending with its error and goes out when it returns;
- with the test's Redis stopped, /readyz answers 503 naming the cache and the broker, and
  pages that need neither still answer;
- the French page served from what the image would contain is French.
"""

import hashlib
import re
import subprocess
import sys
from email.header import decode_header, make_header

import httpx
import pytest
from celery import Celery

from tests.factories import pdf_bytes
from tests.support.image import build_context_copy
from tests.support.network import free_port
from tests.support.processes import ROOT, Process, wait_for
from tests.support.topology import TRUSTED_PROXY

pytestmark = pytest.mark.topology

TIMEOUT = 30  # s: the longest any single step may take


def token_request(stack, number: int, username: str, password: str, **headers):
    return httpx.post(
        f"{stack.base(number)}/api/v1/auth/token/",
        json={"username": username, "password": password},
        headers=headers,
        timeout=TIMEOUT,
    )


def through_proxy(stack, number: int, path: str, **headers) -> httpx.Response:
    """A request that arrives from the trusted proxy's address."""
    transport = httpx.HTTPTransport(local_address=TRUSTED_PROXY)
    with httpx.Client(transport=transport, timeout=TIMEOUT) as client:
        return client.get(f"{stack.base(number)}{path}", headers=headers)


def skipped_deliveries(stack) -> int:
    """Delivery tasks the running worker found nothing to do for (already sent, or claimed)."""
    return sum(
        "deliver_mail" in line.get("message", "") and "'skipped'" in line.get("message", "")
        for line in stack.worker.json_lines()
    )


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


class City:
    """A city contact talking to the API with a token, alternating between the instances."""

    def __init__(self, stack, username: str):
        self.stack = stack
        self.turn = 0
        answer = token_request(stack, 0, username, stack.seeded["password"])
        assert answer.status_code == 200, answer.text
        self.headers = {"Authorization": f"Token {answer.json()['token']}"}

    def call(self, method: str, path: str, **kwargs) -> httpx.Response:
        self.turn += 1
        url = f"{self.stack.base(self.turn)}{path}"
        return httpx.request(method, url, headers=self.headers, timeout=TIMEOUT, **kwargs)

    def draft(self, call: str) -> int:
        answer = self.call(
            "POST",
            "/api/v1/submissions/",
            json={
                "call": call,
                "title": "Superblocks",
                "summary": "Streets for people",
                "description": "A plan.",
                "theme": "Governance",
            },
        )
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]


# --- 1. one lockout for every process; proxies believed only when trusted -----------------------


def test_the_lockout_holds_across_both_instances_and_only_a_trusted_proxy_names_the_client(stack):
    password = stack.seeded["password"]
    for attempt in range(5):
        wrong = token_request(stack, attempt, "kyiv", "not the password")
        assert wrong.status_code == 400, wrong.text
    for number in (0, 1):
        locked = token_request(stack, number, "kyiv", password)
        assert locked.status_code == 429, (number, locked.text)

    # From an untrusted address, a forged X-Forwarded-For does not buy fresh guesses...
    for attempt in range(5):
        forged = {"X-Forwarded-For": f"203.0.113.{attempt + 1}"}
        assert token_request(stack, attempt, "quito", "wrong", **forged).status_code == 400
    for number in (0, 1):
        forged = {"X-Forwarded-For": "203.0.113.99"}
        assert token_request(stack, number, "quito", password, **forged).status_code == 429
    # ...nor makes the request secure, nor changes the address the platform logs.
    forged = httpx.get(
        f"{stack.base(0)}/accounts/login/",
        headers={
            "X-Forwarded-For": "203.0.113.50",
            "X-Forwarded-Proto": "https",
            "X-Request-ID": "forged-1",
        },
        timeout=TIMEOUT,
    )
    assert forged.status_code == 200 and "strict-transport-security" not in forged.headers
    assert stack.request_line("forged-1")["remote_addr"] == "127.0.0.1"

    # The same headers from the trusted proxy are believed, on both instances.
    for number in (0, 1):
        proxied = through_proxy(
            stack,
            number,
            "/accounts/login/",
            **{
                "X-Forwarded-For": "198.51.100.23",
                "X-Forwarded-Proto": "https",
                "X-Request-ID": f"proxied-{number}",
            },
        )
        assert proxied.status_code == 200
        assert "max-age=" in proxied.headers["strict-transport-security"]
        line = stack.request_line(f"proxied-{number}")
        assert line["remote_addr"] == "198.51.100.23" and line["path"] == "/accounts/login/"


# --- 2. upload verified by the worker; the receipt mailed exactly once, whatever happens ------


def test_a_direct_upload_is_verified_by_the_worker_and_the_receipt_mailed_once_despite_sigkill(
    stack,
):
    city = City(stack, "lyon")
    entry = city.draft(stack.seeded["with_form"])
    content = pdf_bytes("Lyon: the application form")
    started = city.call(
        "POST",
        f"/api/v1/submissions/{entry}/attachments/uploads/",
        json={
            "filename": "form.pdf",
            "content_type": "application/pdf",
            "size": len(content),
            "kind": "application_form",
        },
    )
    assert started.status_code == 201, started.text
    form = started.json()["upload"]
    sent = httpx.post(
        form["url"],
        data=form["fields"],
        files={"file": ("form.pdf", content, "application/pdf")},
        timeout=TIMEOUT,
    )
    assert sent.status_code in (200, 204)
    done = city.call("POST", started.json()["complete_url"], json={})
    assert done.status_code == 202 and done.json()["state"] == "verifying", done.text

    attachment = f"/api/v1/attachments/{started.json()['attachment']}/"
    checked = wait_for(
        "the worker verifies the upload",
        lambda: (a := city.call("GET", attachment).json())["state"] == "complete" and a,
        TIMEOUT,
    )
    assert checked["sha256"] == hashlib.sha256(content).hexdigest()

    # The receipt: the SMTP server holds its answer, and the worker is killed mid-delivery.
    stack.smtp.hold()
    submitted = city.call("POST", f"/api/v1/submissions/{entry}/submit/")
    assert submitted.status_code == 200, submitted.text
    receipt = submitted.json()["receipt_sha256"]
    assert stack.smtp.received("Receipt") == []  # the request did not wait for SMTP
    assert stack.smtp.wait_until_held(TIMEOUT), "the worker never reached the SMTP server"
    stack.worker.kill()
    stack.smtp.release()
    wait_for("the sink drops the dead worker's message", lambda: stack.smtp.held_now == 0, 10)
    assert stack.smtp.received("Receipt") == []
    [(status, attempts)] = stack.sql(
        "SELECT status, attempts FROM submissions_outboxmessage WHERE kind = 'submission.receipt'"
    )
    assert (status, attempts) == ("sending", 1)  # claimed by the dead worker, not sent

    stack.worker = stack.start_worker()
    stack.wait_worker_ready()
    [mail] = wait_for(
        "the receipt reaches the SMTP sink", lambda: stack.smtp.received("Receipt"), 60
    )
    assert receipt in mail.get_payload(decode=True).decode()
    assert subject(mail).startswith("Receipt: Superblocks")

    # The same delivery task, delivered twice more: still one mail.
    [(message_id,)] = stack.sql(
        "SELECT id FROM submissions_outboxmessage WHERE kind = 'submission.receipt'"
    )
    client = Celery(broker=stack.redis.url)
    skipped_before = skipped_deliveries(stack)
    for _ in range(2):
        client.send_task("submissions.tasks.deliver_mail", args=[message_id])
    wait_for("both tasks ran", lambda: skipped_deliveries(stack) >= skipped_before + 2, TIMEOUT)
    assert len(stack.smtp.received("Receipt")) == 1
    assert len({m["Message-ID"] for m in stack.smtp.received("Receipt")}) == 1
    [(status, attempts)] = stack.sql(
        "SELECT status, attempts FROM submissions_outboxmessage WHERE id = %s", message_id
    )
    assert (status, attempts) == ("sent", 2)

    # Whoever still holds the upload form can no longer change what is downloaded.
    post_again = httpx.post(
        form["url"],
        data=form["fields"],
        files={"file": ("form.pdf", b"<html>" + b" " * (len(content) - 6), "application/pdf")},
        timeout=TIMEOUT,
    )
    assert post_again.status_code in (200, 204)
    download = city.call("GET", f"{attachment}download/", follow_redirects=False)
    assert download.status_code == 302
    served = httpx.get(download.headers["location"], timeout=TIMEOUT).content
    assert hashlib.sha256(served).hexdigest() == checked["sha256"]


# --- 3. SMTP down: pending with its error, then out ----------------------------------------------


def test_mail_waits_while_smtp_is_down_and_goes_out_when_it_is_back(stack):
    city = City(stack, "oslo")
    entry = city.draft(stack.seeded["no_form"])
    stack.smtp.stop()
    try:
        submitted = city.call("POST", f"/api/v1/submissions/{entry}/submit/")
        assert submitted.status_code == 200, submitted.text

        def failed_attempt():
            rows = stack.sql(
                "SELECT status, attempts, last_error FROM submissions_outboxmessage "
                "WHERE \"to\" = 'oslo@example.org'"
            )
            return rows and rows[0][1] >= 1 and rows[0][0] == "pending" and rows[0]

        _, _, error = wait_for("a failed attempt is recorded", failed_attempt, TIMEOUT)
        assert "refused" in error.lower()
        assert not [m for m in stack.smtp.received() if m["To"] == "oslo@example.org"]
    finally:
        stack.smtp.start()
    wait_for(
        "the mail goes out once SMTP is back",
        lambda: [m for m in stack.smtp.received("Receipt") if m["To"] == "oslo@example.org"],
        TIMEOUT,
    )
    [(status, sent_at)] = stack.sql(
        "SELECT status, sent_at FROM submissions_outboxmessage WHERE \"to\" = 'oslo@example.org'"
    )
    assert status == "sent" and sent_at is not None


# --- 4. Redis down: /readyz names it; pages that need neither cache nor broker still answer ------


def sign_in(stack, username: str) -> str:
    """The page's sign-in form, cookies handled by hand (they are Secure, this is plain HTTP)."""
    page = httpx.get(f"{stack.base(0)}/accounts/login/", timeout=TIMEOUT)
    csrf = page.cookies["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = httpx.post(
        f"{stack.base(1)}/accounts/login/",
        data={"username": username, "password": stack.seeded["password"]},
        headers={"Cookie": f"csrftoken={csrf}", "X-CSRFToken": token},
        timeout=TIMEOUT,
    )
    assert answer.status_code == 302, answer.text[:500]
    return answer.cookies["sessionid"]


def test_with_redis_down_readyz_names_the_cache_and_the_broker_and_pages_still_answer(stack):
    session = sign_in(stack, "porto")
    for number in (0, 1):
        assert httpx.get(f"{stack.base(number)}/readyz", timeout=TIMEOUT).status_code == 200
    stack.redis.stop()
    try:
        for number in (0, 1):
            ready = httpx.get(f"{stack.base(number)}/readyz", timeout=TIMEOUT)
            assert ready.status_code == 503
            assert ready.json()["down"] == ["cache", "broker"]
            assert httpx.get(f"{stack.base(number)}/healthz", timeout=TIMEOUT).status_code == 200
            page = httpx.get(
                f"{stack.base(number)}/city/",
                headers={"Cookie": f"sessionid={session}"},
                timeout=TIMEOUT,
            )
            assert page.status_code == 200 and 'action="/accounts/logout/"' in page.text
            login = httpx.get(f"{stack.base(number)}/accounts/login/", timeout=TIMEOUT)
            assert login.status_code == 200
    finally:
        stack.redis.start()
    for number in (0, 1):
        wait_for(
            "/readyz is ready again",
            lambda n=number: (
                httpx.get(f"{stack.base(n)}/readyz", timeout=TIMEOUT).status_code == 200
            ),
            TIMEOUT,
        )


# --- 5. the image's files serve French --------------------------------------------------------


def test_the_french_page_served_from_what_the_image_would_contain_is_french(stack, tmp_path):
    image = tmp_path / "app"
    files = build_context_copy(ROOT, image)
    assert "locale/fr/LC_MESSAGES/django.mo" in files
    assert not any(f.startswith(("tests/", ".venv/", ".git")) for f in files)
    env = {**stack.env, "PYTHONPATH": str(image)}
    env.pop("STATIC_ROOT")  # the image keeps its own, collected at build time
    # The Dockerfile's RUN step, then its CMD, in the copy.
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=image, env=env, check=True, capture_output=True)
    where = subprocess.run(
        [sys.executable, "-c", "import config, frontend; print(config.__file__)"],
        cwd=image,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip().startswith(str(image))  # the copy runs, not the work tree
    port = free_port()
    server: Process = stack.gunicorn("image", port, image, env).start()
    try:
        base = f"http://127.0.0.1:{port}"
        stack.wait_http(base, server)
        page = httpx.get(
            f"{base}/accounts/login/", headers={"Accept-Language": "fr"}, timeout=TIMEOUT
        )
        assert page.status_code == 200
        assert '<html lang="fr">' in page.text and "Se connecter" in page.text
        style = re.search(r'href="(/static/[^"]+\.css)"', page.text).group(1)
        assert httpx.get(f"{base}{style}", timeout=TIMEOUT).status_code == 200
    finally:
        server.stop()
