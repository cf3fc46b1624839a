"""Every mail the platform sends goes out in its recipient's language: the same situation
mailed to an English, a French and a Spanish reader gives three different subjects, and no
sentence of the English body is left in the French or the Spanish one (issue 14, "Everyone").
Each mail is raised by the real service that sends it: the invitation, the receipt, the
extended deadline, the jury's assignment, the reopened sheet and both reminders."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from scoring import reminders, sheets
from submissions import members, services
from submissions.models import OutboxMessage
from tests.factories import (
    CallFactory,
    CityContactFactory,
    SecretariatFactory,
    SubmissionFactory,
)
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db
LANGUAGES = ("en", "fr", "es")
KINDS = {
    "user.invitation",
    "submission.receipt",
    "call.deadline_extended",
    "jury.assigned",
    "scoring.reopened",
    "reminder.juror",
    "reminder.draft",
}


def _contacts() -> dict[str, object]:
    return {language: CityContactFactory(language=language) for language in LANGUAGES}


# What people typed travels as they typed it: it is not the platform's sentence to translate.
EXTENSION_REASON = "Flooding closed the hall."
REOPEN_REASON = "Please explain the impact score."


def _english_sentences(body: str) -> list[str]:
    """The English body's sentences of three words or more, less what people typed."""
    for typed in (EXTENSION_REASON, REOPEN_REASON):
        body = body.replace(typed, "")
    parts = re.split(r"(?<=[.:!?])\s+|\n+", body)
    return [part.strip() for part in parts if len(re.findall(r"[A-Za-z]{2,}", part)) >= 3]


@pytest.fixture
def mailed(django_capture_on_commit_callbacks):
    """The seven mails, each sent to a reader of each language in the same situation."""
    staff = SecretariatFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for contact in _contacts().values():
            members.invite(staff, contact)
        open_call = CallFactory(
            required_document_kinds=[], deadline=timezone.now() + timedelta(days=2)
        )
        for contact in _contacts().values():
            entry = SubmissionFactory(
                organization=contact.organization, call=open_call, title="Superblocks"
            )
            services.submit(contact, entry)
        for contact in _contacts().values():
            SubmissionFactory(organization=contact.organization, call=open_call, title="Draft")
        services.extend_deadline(
            staff, open_call, open_call.deadline + timedelta(days=1), EXTENSION_REASON
        )
        scene = JudgedCall(entries=3, jurors=3)
        for juror, language in zip(scene.jurors, LANGUAGES, strict=True):
            juror.language = language
            juror.save(update_fields=["language"])
        scene.assign(per_entry=3)
        scene.score_all()
        for juror in scene.jurors:
            sheet = juror.assignments.first().sheet
            sheets.reopen_sheet(staff, sheet.pk, reason=REOPEN_REASON)
        scene.round.jury_deadline = timezone.now() + timedelta(days=2)
        scene.round.save(update_fields=["jury_deadline"])
        reminders.send(reminders.due_reminders())
    by_kind: dict[str, dict[str, OutboxMessage]] = {}
    for message in OutboxMessage.objects.all():
        by_kind.setdefault(message.kind, {})[message.language] = message
    return by_kind


def test_every_kind_of_mail_was_sent_to_a_reader_of_each_language(mailed):
    assert set(mailed) == KINDS
    for kind, messages in mailed.items():
        assert set(messages) == set(LANGUAGES), kind


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("language", ["fr", "es"])
def test_no_english_sentence_is_left_in_a_french_or_spanish_mail(mailed, kind, language):
    english, translated = mailed[kind]["en"], mailed[kind][language]
    assert translated.subject != english.subject
    sentences = _english_sentences(english.body)
    assert sentences, english.body
    left = [sentence for sentence in sentences if sentence in translated.body]
    assert left == [], f"{kind} in {language}: {left}"
