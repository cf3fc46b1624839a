"""Which submissions a user may see: the one rule every list, detail, download and export uses.

The secretariat sees every entry and a city its own. What a juror or the Board sees is decided by
the apps that know juries and results, above this one: each registers its rule here when it is
ready (jury/apps.py, scoring/apps.py), so that this module never reaches up to them.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet

from .models import Attachment, Submission, User
from .rules import JUDGED_STATUSES, NEUTRAL_STATUS, announced, is_announced

EntriesRule = Callable[[User], QuerySet[Submission]]
_entries_by_role: dict[str, EntriesRule] = {}
_verdict_readers: list[Callable[[User], Iterable[int]]] = []


def register_entries(role: str, rule: EntriesRule) -> None:
    """The entries a user of this role may see, as the app that knows the role decides."""
    _entries_by_role[role] = rule


def register_verdict_readers(calls_of: Callable[[User], Iterable[int]]) -> None:
    """Besides the secretariat and the Board, who reads verdicts before the announcement: the
    calls whose verdicts this user sees (a jury's chair, their calls)."""
    _verdict_readers.append(calls_of)


def submissions_visible_to(user: User) -> QuerySet[Submission]:
    submissions = Submission.objects.all()
    if not user.is_authenticated or not user.is_active:
        return submissions.none()
    if user.is_secretariat:
        return submissions
    if user.is_city_contact:
        if not user.organization_id:
            return submissions.none()
        return submissions.filter(organization_id=user.organization_id)
    rule = _entries_by_role.get(user.role)
    return rule(user) if rule else submissions.none()


def identity_hidden_for(user: User, call) -> bool:
    """In a blind call only the secretariat knows who submitted (and the entrant itself, which
    sees nothing but its own entries). Jurors, the jury's chair and the Board get every entry
    redacted: no organization, city, country, contact or file name, wherever it is shown."""
    if not (call.blind and user.is_authenticated):
        return False
    return not (user.is_secretariat or user.is_city_contact)


def title_shown_to(user: User, submission: Submission) -> str:
    """An entry's title as the user may read it: redacted where the entrant is hidden."""
    if identity_hidden_for(user, submission.call):
        return redact(submission.title, entrant_names(submission.organization))
    return submission.title


TEXTS = ("title", "summary", "description", "answers")


def entry_shown_to(user: User, submission: Submission) -> dict:
    """What the user may read of an entry, for the API and every page alike: its texts (redacted
    where a blind call hides the entrant), its organization (None where hidden) and the status
    the user is shown."""
    texts = {name: getattr(submission, name) for name in TEXTS}
    hidden = identity_hidden_for(user, submission.call)
    if hidden:
        names = entrant_names(submission.organization)
        texts = {name: redact(value, names) for name, value in texts.items()}
    return {
        **texts,
        "organization": None if hidden else submission.organization,
        "status": status_shown_to(user, submission),
    }


# Files being checked, or refused, are shown to the entry's own city (and the secretariat) with
# their state; everyone else sees checked files only.
OWNER_FILE_STATES = frozenset(
    {Attachment.State.COMPLETE, Attachment.State.VERIFYING, Attachment.State.REJECTED}
)
READER_FILE_STATES = frozenset({Attachment.State.COMPLETE})


def files_shown_to(user: User, submission: Submission) -> list[Attachment]:
    """The entry's files the user may see (from `submission.attachments`, prefetched or not)."""
    own = user.is_authenticated and (
        user.is_secretariat or user.organization_id == submission.organization_id
    )
    states = OWNER_FILE_STATES if own else READER_FILE_STATES
    return [file for file in submission.attachments.all() if file.state in states]


def neutral_name(attachment: Attachment) -> str:
    """A file name that says nothing about who sent it, for blind juries."""
    extension = attachment.extension or "bin"
    return f"entry-{attachment.submission_id}-{attachment.kind}-{attachment.pk}.{extension}"


def file_name_shown_to(user: User, attachment: Attachment) -> str:
    """A file's name as the user may read it: neutral where a blind call hides the entrant."""
    if identity_hidden_for(user, attachment.submission.call):
        return neutral_name(attachment)
    return attachment.original_name


REDACTED = "[entrant]"
_MARKS = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*"


def entrant_names(organization) -> list[str]:
    """What names the entrant in a text: its organization, its city and its country."""
    return [name for name in (organization.name, organization.city, organization.country) if name]


def _pattern(name: str) -> re.Pattern:
    """The name in any case, with or without its accents: "Medellín" also finds "MEDELLIN"."""
    base = "".join(
        c for c in unicodedata.normalize("NFD", name.strip()) if not unicodedata.combining(c)
    )
    return re.compile("".join(re.escape(c) + _MARKS for c in base), re.IGNORECASE)


def redact(value, names: list[str]):
    """Replace every mention of the entrant in a text, or in the texts and the keys of a JSON
    value (the form's further answers), whatever the case and the accents."""
    if isinstance(value, str):
        text = unicodedata.normalize("NFD", value)
        for name in sorted(filter(None, names), key=len, reverse=True):
            text = _pattern(name).sub(REDACTED, text)
        return unicodedata.normalize("NFC", text)
    if isinstance(value, dict):
        return {redact(key, names): redact(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item, names) for item in value]
    return value


# From eligibility until the announcement, only those who run the judging (the secretariat, the
# Board, the call's chair) see how an entry fares; cities and jurors see one neutral status, so
# neither a status nor a filter on it tells a city it lost (or a juror what was shortlisted).


def verdict_calls(user: User) -> frozenset[int]:
    """The calls whose verdicts this user reads before the announcement, beyond the secretariat's
    and the Board's (registered by the apps above: a chair's calls)."""
    return frozenset(call for calls_of in _verdict_readers for call in calls_of(user))


def sees_verdicts(user: User, call) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_secretariat or user.is_board or call.pk in verdict_calls(user))
    )


def status_shown_to(user: User, submission: Submission) -> str:
    call = submission.call
    if (
        submission.status in JUDGED_STATUSES
        and not is_announced(call)
        and not sees_verdicts(user, call)
    ):
        return NEUTRAL_STATUS
    return submission.status


def verdict_hidden(user: User) -> Q:
    """The entries whose status `status_shown_to` turns neutral for this user, as a filter."""
    if user.is_secretariat or user.is_board:
        return Q(pk__in=[])
    return (
        Q(status__in=JUDGED_STATUSES) & ~announced("call__") & ~Q(call_id__in=verdict_calls(user))
    )


def filter_by_shown_status(queryset: QuerySet[Submission], user: User, value: str):
    """`?status=` filters on the status the user is shown, so it reveals nothing early."""
    hidden = verdict_hidden(user)
    if value == NEUTRAL_STATUS:
        return queryset.filter(hidden)
    if value in JUDGED_STATUSES:
        return queryset.filter(status=value).exclude(hidden)
    return queryset.filter(status=value)
