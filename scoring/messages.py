"""Messages from the secretariat to a call's people: every entrant (the city contacts of its
entries), every juror on its jury, or the jurors behind on their sheets.

The secretariat writes once, in English, and may add a French and a Spanish version; each
person receives the version of their own language (User.language, as every email), else the
English text, framed by a greeting and a closing line in their language. Messages go through
the outbox (submissions.notifications), delivered by the worker after the commit.

Who is reached:
- entrants: the active city contacts of every organization with an entry in the call, drafts
  included, withdrawn entries not (an organization that withdrew all its entries is left out);
- jurors: everyone seated on the call's jury;
- behind: the jurors with work left in a round still open (an active assignment, so neither
  declined nor on an entry they are in conflict with, whose sheet is not submitted).

Sending twice does nothing twice: each person's email carries a key made of the call, the
audience, the text and the person, so a double click, a retried request or a second send of
the same message queues nothing new (someone who joined the audience since gets it)."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jury.models import Assignment, JuryMember
from jury.rules import active_assignments
from submissions import audit, notifications
from submissions.errors import REQUIRED, DomainError, text
from submissions.models import Call, OutboxMessage, Role, Submission, User
from submissions.rules import ensure_secretariat

from .models import ScoreSheet

ENTRANTS, JURORS, BEHIND = "entrants", "jurors", "behind"
AUDIENCES = {
    ENTRANTS: gettext_lazy("Every entrant (the city contacts of the call's entries)"),
    JURORS: gettext_lazy("Every juror of the call's jury"),
    BEHIND: gettext_lazy("The jurors behind on their sheets in an open round"),
}
SECRETARIAT_ONLY = gettext_lazy("Only the secretariat writes to a call's people.")
TRANSLATED = ("fr", "es")  # English is the text everyone falls back to
SUBJECT_LIMIT = 200


@dataclass(frozen=True)
class Message:
    """What the secretariat wrote: the English text, and any French or Spanish version
    ({"fr": (subject, body)}); a version counts only with both its subject and its body."""

    subject: str
    body: str
    versions: dict[str, tuple[str, str]] = field(default_factory=dict)

    def text_for(self, language: str) -> tuple[str, str]:
        subject, body = self.versions.get(language, ("", ""))
        if subject.strip() and body.strip():
            return subject.strip(), body.strip()
        return self.subject.strip(), self.body.strip()

    def key(self, call: Call, audience: str) -> str:
        content = [call.pk, audience, self.subject.strip(), self.body.strip()]
        content += [list(self.text_for(language)) for language in TRANSLATED]
        return hashlib.sha256(json.dumps(content).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Preview:
    """Who would receive the message: how many people, in which languages, and how many of
    them already received this same message."""

    audience: str
    people: list[User]
    languages: dict[str, int]
    already: int

    @property
    def count(self) -> int:
        return len(self.people)

    @property
    def to_send(self) -> int:
        return self.count - self.already


def recipients(call: Call, audience: str, now: datetime | None = None) -> QuerySet[User]:
    """The people an audience names, each once, with an address; one query when evaluated."""
    people = User.objects.filter(is_active=True).exclude(email="")
    if audience == ENTRANTS:
        live = Submission.objects.filter(call=call).exclude(status=Submission.Status.WITHDRAWN)
        people = people.filter(role=Role.CITY_CONTACT, organization__in=live.values("organization"))
    elif audience == JURORS:
        people = people.filter(pk__in=JuryMember.objects.filter(call=call).values("juror"))
    elif audience == BEHIND:
        left = (
            Assignment.objects.filter(
                active_assignments(),
                round__call=call,
                round__jury_deadline__gte=now or timezone.now(),
            )
            .exclude(sheet__status=ScoreSheet.Status.SUBMITTED)
            .values("juror")
        )
        people = people.filter(pk__in=left)
    else:
        raise DomainError(
            gettext_lazy("Choose who receives the message: %(choices)s."),
            code="unknown_audience",
            fields={"audience": [gettext_lazy("Choose one of the audiences.")]},
            choices=", ".join(AUDIENCES),
        )
    return people.order_by("username")


def _dedupe_key(key: str, person: User) -> str:
    return f"message:{key}:{person.pk}"


def check(message: Message) -> None:
    problems = {}
    too_long = text(
        gettext_lazy("Keep the subject under %(limit)s characters."), limit=SUBJECT_LIMIT
    )
    if not message.subject.strip():
        problems["subject"] = [REQUIRED]
    elif len(message.subject.strip()) > SUBJECT_LIMIT:
        problems["subject"] = [too_long]
    if not message.body.strip():
        problems["body"] = [REQUIRED]
    for language, (subject, body) in message.versions.items():
        if bool(subject.strip()) != bool(body.strip()):
            name = "body" if subject.strip() else "subject"
            problems[f"{name}_{language}"] = [
                gettext_lazy("Give both the subject and the text of this version, or neither.")
            ]
        elif len(subject.strip()) > SUBJECT_LIMIT:
            problems[f"subject_{language}"] = [too_long]
    if problems:
        raise DomainError(
            gettext_lazy("The message needs attention: see the fields marked below."),
            code="invalid_message",
            fields=problems,
        )


def preview(call: Call, audience: str, message: Message) -> Preview:
    """Who would receive it, before anything is sent; two queries."""
    people = list(recipients(call, audience))
    key = message.key(call, audience)
    sent = set(
        OutboxMessage.objects.filter(
            dedupe_key__in=[_dedupe_key(key, person) for person in people]
        ).values_list("dedupe_key", flat=True)
    )
    languages = Counter(notifications.language_of(person) for person in people)
    already = sum(1 for person in people if _dedupe_key(key, person) in sent)
    return Preview(audience, people, dict(sorted(languages.items())), already)


def _framed(person: User, call: Call, message: Message, language: str):
    """The subject and the body, rendered by notifications.send in the person's language."""
    subject, text = message.text_for(language)

    def body() -> str:
        greeting = _("Hello %(name)s,") % {"name": person.display_name}
        closing = _(
            "The Metropolis secretariat, about %(call)s.\nYour pages on the platform: %(link)s"
        ) % {"call": call.title, "link": notifications.absolute_url("/")}
        return f"{greeting}\n\n{text}\n\n-- \n{closing}\n"

    return subject, body


@transaction.atomic
def send_message(user: User, call: Call, audience: str, message: Message) -> Preview:
    """Queue the message for each person of the audience who has not received it yet, in their
    language, and record who sent what to how many. The preview as it stood before sending."""
    ensure_secretariat(user, SECRETARIAT_ONLY)
    check(message)
    shown = preview(call, audience, message)
    key = message.key(call, audience)
    queued = 0
    for person in shown.people:
        language = notifications.language_of(person)
        subject, body = _framed(person, call, message, language)
        queued += notifications.send(
            f"message.{audience}",
            person.email,
            subject,
            body,
            dedupe_key=_dedupe_key(key, person),
            user=person,
            language=language,
        )
    if queued:
        audit.record(
            user,
            "message.sent",
            call,
            call=call,
            audience=audience,
            subject=message.subject.strip(),
            versions=sorted(message.versions),
            recipients=queued,
            key=key,
        )
    return Preview(audience, shown.people, shown.languages, shown.count - queued)
