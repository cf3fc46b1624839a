"""Messages to a call's people (issue 14, item 4): who each audience reaches, each person's
language, the outbox written once, the audit trail, and the refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jury.models import Assignment
from scoring import messages, sheets
from submissions.errors import DomainError, NotAllowed
from submissions.models import AuditEvent, OutboxMessage, Submission
from tests.factories import CityContactFactory, ConflictFactory
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db

HELLO = messages.Message(
    "Results on 3 June",
    "The jury meets on 2 June.",
    {"fr": ("Résultats le 3 juin", "Le jury se réunit le 2 juin."), "es": ("", "")},
)


@pytest.fixture
def world():
    world = JudgedCall(entries=3, jurors=3)
    world.contacts = [
        CityContactFactory(organization=entry.organization) for entry in world.entries
    ]
    return world


def _emails(queryset) -> set[str]:
    return {person.email for person in queryset}


def test_entrants_are_the_contacts_of_the_calls_entries_without_withdrawn_ones(world):
    Submission.objects.filter(pk=world.entries[2].pk).update(status=Submission.Status.WITHDRAWN)
    other_call = JudgedCall(entries=1, jurors=0)
    CityContactFactory(organization=other_call.entries[0].organization)
    reached = _emails(messages.recipients(world.call, messages.ENTRANTS))
    assert reached == {c.email for c in world.contacts[:2]}


def test_jurors_are_everyone_on_the_jury(world):
    reached = _emails(messages.recipients(world.call, messages.JURORS))
    assert reached == {juror.email for juror in world.jurors}


def test_behind_are_the_jurors_with_sheets_left_in_an_open_round_conflicts_aside(world):
    world.assign_everyone()
    done, behind, conflicted = world.jurors
    for assignment in Assignment.objects.filter(juror=done):
        sheet = sheets.open_sheet(done, assignment.pk)
        lines = [{"criterion": c.key, "value": 5, "comment": "ok"} for c in world.criteria]
        sheet = sheets.save_draft(done, sheet.pk, scores=lines, version=sheet.version)
        sheets.submit_sheet(done, sheet.pk, version=sheet.version)
    # the third juror is in conflict with every entry: nothing is left for them to score
    for entry in world.entries:
        ConflictFactory(juror=conflicted, submission=entry)
    assert _emails(messages.recipients(world.call, messages.BEHIND)) == {behind.email}
    # once the jury deadline passed, nobody is behind any more
    world.round.jury_deadline = timezone.now() - timedelta(minutes=1)
    world.round.save()
    assert not messages.recipients(world.call, messages.BEHIND).exists()


def test_each_person_receives_their_language_or_the_english_text_framed_in_their_language(world):
    french, spanish, english = world.contacts
    french.language, spanish.language = "fr", "es"
    french.save()
    spanish.save()
    messages.send_message(world.staff, world.call, messages.ENTRANTS, HELLO)
    mail = {m.to: m for m in OutboxMessage.objects.filter(kind="message.entrants")}
    assert mail[french.email].subject == "Résultats le 3 juin"
    assert mail[french.email].body.startswith(
        f"Bonjour {french.get_full_name() or french.username}"
    )
    assert "Le jury se réunit le 2 juin." in mail[french.email].body
    # no complete Spanish version: the English text, framed in Spanish
    assert mail[spanish.email].subject == "Results on 3 June"
    assert mail[spanish.email].body.startswith("Hola")
    assert "The jury meets on 2 June." in mail[spanish.email].body
    assert mail[english.email].body.startswith("Hello") and mail[english.email].language == "en"


def test_sending_twice_queues_each_email_once_and_a_newcomer_gets_it_later(world):
    first = messages.send_message(world.staff, world.call, messages.JURORS, HELLO)
    assert first.count == 3 and first.already == 0
    again = messages.send_message(world.staff, world.call, messages.JURORS, HELLO)
    assert again.already == 3
    assert OutboxMessage.objects.filter(kind="message.jurors").count() == 3
    newcomer = world.seat_juror()
    later = messages.send_message(world.staff, world.call, messages.JURORS, HELLO)
    assert later.count == 4 and later.already == 3
    assert OutboxMessage.objects.filter(kind="message.jurors", to=newcomer.email).count() == 1
    # another text is another message
    other = messages.Message("Venue", "The meeting is in Barcelona.")
    assert messages.send_message(world.staff, world.call, messages.JURORS, other).already == 0
    events = AuditEvent.objects.filter(action="message.sent", call=world.call)
    assert [e.data["recipients"] for e in events.order_by("id")] == [3, 1, 4]


def test_the_preview_counts_people_and_languages_and_sends_nothing(world):
    world.jurors[0].language = "fr"
    world.jurors[0].save()
    shown = messages.preview(world.call, messages.JURORS, HELLO)
    assert shown.count == 3 and shown.languages == {"en": 2, "fr": 1}
    assert not OutboxMessage.objects.filter(kind__startswith="message.").exists()


def test_only_the_secretariat_sends_and_a_message_needs_its_words(world):
    with pytest.raises(NotAllowed):
        messages.send_message(world.chair, world.call, messages.JURORS, HELLO)
    with pytest.raises(DomainError) as empty:
        messages.send_message(world.staff, world.call, messages.JURORS, messages.Message("", ""))
    assert set(empty.value.fields) == {"subject", "body"}
    half = messages.Message("Subject", "Body", {"fr": ("Sujet", "")})
    with pytest.raises(DomainError) as partial:
        messages.send_message(world.staff, world.call, messages.JURORS, half)
    assert set(partial.value.fields) == {"body_fr"}
    long_spanish = messages.Message("Subject", "Body", {"es": ("x" * 201, "Cuerpo")})
    with pytest.raises(DomainError) as too_long:
        messages.send_message(world.staff, world.call, messages.JURORS, long_spanish)
    assert set(too_long.value.fields) == {"subject_es"}
    with pytest.raises(DomainError):
        messages.recipients(world.call, "everyone")
    assert not OutboxMessage.objects.filter(kind__startswith="message.").exists()
