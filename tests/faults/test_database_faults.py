"""A database error in the middle of a submit: everything rolled back, a clear 503, and the
same submit succeeds once the database answers again."""

import pytest
from django.core import mail
from django.db import connection

from submissions.models import AuditEvent, OutboxMessage, Submission
from tests.factories import CallFactory, CityContactFactory, SubmissionFactory
from tests.support.clients import client_for

# Committed transactions, as in production: the receipt email is only sent on commit.
pytestmark = pytest.mark.django_db(transaction=True)

TRIGGER = "metropolis_test_audit_fails"


@pytest.fixture
def audit_log_fails():
    """The database refuses, for real, the audit row a submit writes after updating the entry:
    a trigger raises, as a full disk or a lost connection would, halfway through the transaction.
    """
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'could not extend file: No space left on device' "
                "USING ERRCODE = 'disk_full'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE INSERT ON {table} FOR EACH ROW "
                f"WHEN (NEW.action = 'submission.submitted') EXECUTE FUNCTION {TRIGGER}()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE INSERT ON {table} "
                "WHEN NEW.action = 'submission.submitted' "
                "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")


@pytest.fixture
def contact():
    return CityContactFactory()


@pytest.fixture
def draft(contact):
    return SubmissionFactory(organization=contact.organization, call=CallFactory())


def submit(contact, draft):
    return client_for(contact).post(f"/api/v1/submissions/{draft.pk}/submit/")


def test_a_database_error_in_the_middle_of_a_submit_rolls_everything_back(
    audit_log_fails, contact, draft
):
    updated_at = draft.updated_at
    answer = submit(contact, draft)
    assert answer.status_code == 503, answer.content
    error = answer.json()["error"]
    assert error["code"] == "database_unavailable"
    assert "try again" in error["message"]

    draft.refresh_from_db()
    assert draft.status == Submission.Status.DRAFT
    assert draft.receipt_sha256 == "" and draft.frozen_content is None
    assert draft.submitted_at is None and draft.submitted_by_id is None
    assert draft.updated_at == updated_at
    assert not AuditEvent.objects.filter(action="submission.submitted").exists()
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_the_same_submit_succeeds_once_the_database_answers_again(audit_log_fails, contact, draft):
    assert submit(contact, draft).status_code == 503
    with connection.cursor() as cursor:  # the database is back
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {TRIGGER} ON {AuditEvent._meta.db_table}")
        else:
            cursor.execute(f"DROP TRIGGER {TRIGGER}")

    answer = submit(contact, draft)
    assert answer.status_code == 200, answer.json()
    draft.refresh_from_db()
    assert draft.status == Submission.Status.SUBMITTED
    assert answer.json()["receipt_sha256"] == draft.receipt_sha256 != ""
    assert AuditEvent.objects.filter(action="submission.submitted").count() == 1
    [receipt] = mail.outbox
    assert draft.receipt_sha256 in receipt.body
