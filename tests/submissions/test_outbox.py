"""The outbox as a queue: delivered after the commit by a worker, retried with back-off against a
real SMTP server (aiosmtpd on loopback), never sent twice, and in the recipient's language."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.utils import timezone

from submissions import notifications, tasks
from submissions.models import OutboxMessage
from tests.factories import CallFactory, CityContactFactory, SubmissionFactory
from tests.support.clients import client_for
from tests.support.network import free_port
from tests.support.smtp import SmtpSink

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", sink.port, 5
    yield sink
    sink.stop()


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def queue(**kwargs) -> OutboxMessage:
    assert notifications.send("test", "lyon@example.org", "Hello", "Body", **kwargs)
    return OutboxMessage.objects.latest("id")


def test_mail_is_queued_and_sent_only_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        message = queue()
    assert message.status == "pending" and message.sent_at is None and mail.outbox == []
    for callback in queued:
        callback()
    message.refresh_from_db()
    assert message.status == "sent" and message.sent_at is not None and message.attempts == 1
    assert [m.to for m in mail.outbox] == [["lyon@example.org"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == message.message_id


def test_a_delivery_that_smtp_refuses_stays_pending_with_its_error_then_goes_out(
    smtp, settings, django_capture_on_commit_callbacks
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # the SMTP server is down
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    message.refresh_from_db()
    assert message.status == "pending" and message.attempts == 1 and message.sent_at is None
    assert "Connection refused" in message.last_error or "ConnectionRefused" in message.last_error
    backoff = (message.next_attempt_at - timezone.now()).total_seconds()
    assert settings.OUTBOX_RETRY_BASE_SECONDS - 5 < backoff <= settings.OUTBOX_RETRY_BASE_SECONDS
    assert tasks.deliver_due_mail.apply().get() == 0  # not due yet: back-off

    settings.EMAIL_PORT = port  # the server is back, and the retry is due
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert tasks.deliver_due_mail.apply().get() == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 2 and message.last_error == ""
    assert [subject_of(m) for m in smtp.received()] == ["Hello"]


def test_back_off_doubles_up_to_a_cap_and_gives_up_after_the_last_attempt(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS, settings.OUTBOX_RETRY_MAX_SECONDS = 60, 300
    assert [notifications.retry_delay(n) for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 300, 300]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    message = queue()
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=settings.OUTBOX_MAX_ATTEMPTS - 1)
    assert notifications.deliver(message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == "failed" and message.sent_at is None and message.last_error


def test_a_task_delivered_twice_sends_the_mail_once(smtp):
    message = queue()
    assert tasks.deliver_mail.apply(args=[message.pk]).get() == "sent"
    assert tasks.deliver_mail.apply(args=[message.pk]).get() == "skipped"
    assert len(smtp.received()) == 1


def test_a_message_held_by_a_live_worker_is_left_alone_and_one_whose_lease_ended_is_taken_back(
    smtp, settings
):
    message = queue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status="sending", claimed_at=timezone.now(), claim="another-worker"
    )
    assert notifications.due_messages() == []
    assert notifications.deliver(message.pk) == "skipped"

    ended = timezone.now() - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=ended)  # that worker died
    assert notifications.due_messages() == [message.pk]
    assert notifications.deliver(message.pk) == "sent"
    assert len(smtp.received()) == 1


def test_a_worker_whose_lease_ended_cannot_overwrite_the_retry_that_took_over(settings):
    message = queue()
    first = notifications.claim(message.pk)
    ended = timezone.now() - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=ended)
    second = notifications.claim(message.pk)
    assert first and second and first.claim != second.claim
    notifications._failed(first, OSError("late answer"))  # the first worker reports at last
    message.refresh_from_db()
    assert message.status == "sending" and message.claim == second.claim


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("en", "Receipt: Superblocks", "was received on"),
        ("fr", "Accusé de réception : Superblocks", "a été reçue le"),
        ("es", "Acuse de recibo: Superblocks", "se recibió el"),
    ],
)
def test_the_receipt_goes_out_in_the_recipients_language(
    language, subject, words, django_capture_on_commit_callbacks
):
    contact = CityContactFactory(language=language)
    call = CallFactory(required_document_kinds=[])
    entry = SubmissionFactory(organization=contact.organization, call=call, title="Superblocks")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_for(contact).post(f"/api/v1/submissions/{entry.pk}/submit/")
    assert answer.status_code == 200, answer.json()
    [receipt] = mail.outbox
    assert receipt.subject.startswith(subject)
    assert words in receipt.body and answer.json()["receipt_sha256"] in receipt.body
    assert OutboxMessage.objects.get().language == language


def test_choosing_a_language_on_the_pages_sets_the_language_of_ones_mail(client):
    contact = CityContactFactory(language="")
    client.force_login(contact)
    answer = client.post("/i18n/setlang/", {"language": "es", "next": "/city/"})
    assert answer.status_code == 302
    contact.refresh_from_db()
    assert contact.language == "es"
    assert notifications.language_of(None, contact.email) == "es"
