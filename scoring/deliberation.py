"""The jury's deliberation on an entry in a round: its discussion (posts, never edited nor
deleted) and the consensus note its chair records, each write in one transaction with its
audit event; what a reader may read of them (blind calls redacted); and the round's "to
discuss" list. Who may do what is scoring.rules (deliberation_access and the ensure_ below
it); see docs/deliberation.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from jury.models import Round
from jury.rules import conflicted_submission_ids
from jury.selectors import round_entries
from submissions import audit
from submissions.errors import REQUIRED, DomainError, PreconditionFailed
from submissions.models import Call, Submission, User
from submissions.visibility import (
    entrant_names,
    identity_hidden_for,
    redact,
    submissions_visible_to,
    title_shown_to,
)

from . import rules
from .agenda import agenda
from .models import ConsensusNote, DiscussionPost
from .results import check_top_n, standings_for
from .standings import Standings

MAX_LENGTH = 5000


def entry_of(user: User, round_: Round, number) -> Submission:
    """The entry a request names, among those the user may see: the 404 of an entry that does
    not exist otherwise, worded alike whatever the reason (scoring.rules)."""
    entry = (
        submissions_visible_to(user)
        .filter(call_id=round_.call_id, pk=number)
        .select_related("call", "organization")
        .first()
    )
    if entry is None:
        raise rules.no_such_entry_in_round(round_.number, number)
    return entry


def _text(body, field: str = "body") -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write something first."), fields={field: [REQUIRED]})
    if len(body) > MAX_LENGTH:
        raise DomainError(
            _("Keep it under %(limit)s characters (this one has %(length)s)."),
            fields={field: [_("Too long.")]},
            limit=MAX_LENGTH,
            length=len(body),
        )
    return body


# --- writes ------------------------------------------------------------------------------------


@transaction.atomic
def post(author: User, round_: Round, entry: Submission, body: str) -> DiscussionPost:
    """A juror of the entry (their sheet submitted) or the chair writes in its discussion."""
    rules.ensure_may_post(author, round_, entry)
    body = _text(body)
    message = DiscussionPost.objects.create(
        round=round_, submission=entry, author=author, body=body
    )
    audit.record(
        author,
        "deliberation.posted",
        message,
        call=round_.call,
        round=round_.number,
        submission=entry.pk,
        length=len(body),
    )
    return message


@transaction.atomic
def record_consensus(
    chair: User, round_: Round, entry: Submission, body: str, version: int | None = None
) -> ConsensusNote:
    """The chair writes (or rewrites) the consensus note; the audit event keeps the text before
    and after. ``version``, when given, is the note's version as last read: a note changed since
    is not overwritten (412)."""
    rules.ensure_may_record_consensus(chair, round_, entry)
    body = _text(body)
    # The round's row is the lock while no note exists yet (two first saves at once).
    Round.objects.select_for_update().filter(pk=round_.pk).first()
    note = ConsensusNote.objects.select_for_update().filter(round=round_, submission=entry).first()
    current = note.version if note else 0
    if version is not None and version != current:
        raise PreconditionFailed(
            _(
                "The consensus note changed since you read it (version %(current)s, not "
                "%(version)s). Read it again before changing it."
            ),
            current=current,
            version=version,
        )
    before = note.body if note else None
    if note is None:
        try:
            with transaction.atomic():
                note = ConsensusNote.objects.create(
                    round=round_, submission=entry, body=body, written_by=chair
                )
        except IntegrityError:  # where the database has no row locks (SQLite)
            raise PreconditionFailed(
                _("Someone recorded the consensus note at the same moment. Read it again first.")
            ) from None
    else:
        note.body, note.written_by, note.version = body, chair, note.version + 1
        note.save(update_fields=["body", "written_by", "version", "updated_at"])
    audit.record(
        chair,
        "deliberation.consensus_recorded",
        note,
        call=round_.call,
        round=round_.number,
        submission=entry.pk,
        version=note.version,
        old=before,
        new=body,
    )
    return note


# --- reads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A post or a note as one reader may read it."""

    id: int
    author: str
    body: str
    at: datetime
    version: int | None = None


def person(user: User | None) -> str:
    """How the jury's members are named to one another, to the secretariat and to the Board:
    blind calls hide the entrant, not the jurors (docs/security.md)."""
    if user is None:
        return ""
    return user.display_name


def _redaction(reader: User, entry: Submission):
    """A function that words a text as the reader may read it: the entrant named nowhere where
    the call is blind to them (submissions.visibility)."""
    if not identity_hidden_for(reader, entry.call):
        return lambda text: text
    names = entrant_names(entry.organization)
    return lambda text: redact(text, names)


def thread(reader: User, round_: Round, entry: Submission) -> list[Shown]:
    """The entry's discussion in the round, oldest first, after the rule's check (one query
    for the posts and their authors)."""
    rules.deliberation_access(reader, round_, entry)
    return _posts(reader, round_, entry)


def _posts(reader: User, round_: Round, entry: Submission) -> list[Shown]:
    shown = _redaction(reader, entry)
    posts = DiscussionPost.objects.filter(round=round_, submission=entry).select_related("author")
    return [Shown(p.pk, person(p.author), shown(p.body), p.created_at) for p in posts]


@dataclass(frozen=True)
class Discussion:
    access: str  # rules.READS or rules.WRITES
    posts: list[Shown]
    note: Shown | None


def discussion(reader: User, round_: Round, entry: Submission) -> Discussion:
    """The discussion and its consensus note for one of the jury's pages, after one check of
    the rule (the Board reads notes through `released_consensus`, never this)."""
    access = rules.deliberation_access(reader, round_, entry)
    return Discussion(access, _posts(reader, round_, entry), _note(reader, round_, entry))


def shown_post(reader: User, entry: Submission, message: DiscussionPost) -> Shown:
    """One post as the reader may read it (the one they just wrote)."""
    body = _redaction(reader, entry)(message.body)
    return Shown(message.pk, person(message.author), body, message.created_at)


def consensus(reader: User, round_: Round, entry: Submission) -> Shown | None:
    """The entry's consensus note in the round, as the reader may read it, or None."""
    rules.ensure_reads_consensus(reader, round_, entry)
    return _note(reader, round_, entry)


def _note(reader: User, round_: Round, entry: Submission) -> Shown | None:
    note = (
        ConsensusNote.objects.filter(round=round_, submission=entry)
        .select_related("written_by")
        .first()
    )
    return _shown_note(reader, entry, note) if note else None


def _shown_note(reader: User, entry: Submission, note: ConsensusNote) -> Shown:
    shown = _redaction(reader, entry)
    return Shown(note.pk, person(note.written_by), shown(note.body), note.updated_at, note.version)


def released_consensus(reader: User, entry: Submission) -> list[tuple[Round, Shown]]:
    """The entry's consensus notes of the rounds released to the Board, first round first:
    what the Board's entry page shows (one query)."""
    notes = (
        ConsensusNote.objects.filter(rules.released("round__"), submission=entry)
        .select_related("round", "written_by")
        .order_by("round__number")
    )
    return [(note.round, _shown_note(reader, entry, note)) for note in notes]


def to_discuss(
    viewer: User,
    call: Call,
    round_: Round,
    *,
    top_n: int | None = None,
    method: str | None = None,
    standings: Standings | None = None,
) -> dict:
    """The round's "to discuss" list for those who run its jury (scoring.agenda): each entry
    with why, its rank, its odds at the cut, its number of posts and whether it holds a
    consensus note. The standings (bootstrap included) are computed once, or given by a page
    that computed them already for the viewer (the results page, with its ``top_n``); the rest
    is one query each, whatever the number of entries. The viewer's conflicts are left out."""
    if top_n not in (None, ""):
        top_n = check_top_n(top_n)  # no cut named: no entry is uncertain at one
    if standings is None:
        standings = standings_for(viewer, call, round_, method, top_n=top_n)
    entries = round_entries(round_).exclude(pk__in=conflicted_submission_ids(viewer))
    posts = dict(
        DiscussionPost.objects.filter(round=round_, submission__in=entries)
        .values("submission")
        .annotate(n=Count("id"))
        .values_list("submission", "n")
    )
    noted = set(
        ConsensusNote.objects.filter(round=round_, submission__in=entries).values_list(
            "submission_id", flat=True
        )
    )
    items = agenda(standings.ranking, top_n, discussed=set(posts) | noted)
    found = _entries(viewer, [item.submission for item in items])
    return {
        "round": round_.number,
        "method": standings.method,
        "top_n": top_n,
        "entries": [
            {
                "submission": item.submission,
                "title": found[item.submission],
                "reasons": list(item.reasons),
                "rank": item.rank,
                "p_top": None if item.p_top is None else round(item.p_top, 3),
                "spread": None if item.spread is None else round(item.spread, 3),
                "posts": posts.get(item.submission, 0),
                "consensus": item.submission in noted,
            }
            for item in items
            if item.submission in found
        ],
    }


def _entries(viewer: User, ids: list[int]) -> dict[int, str]:
    entries: QuerySet = Submission.objects.filter(pk__in=ids).select_related("call", "organization")
    return {entry.pk: title_shown_to(viewer, entry) for entry in entries}
