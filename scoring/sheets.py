"""Writes on score sheets: open, save a draft, submit, reopen.

Each write is one transaction that locks the sheet's row, checks the version the client last
saw (optimistic concurrency: two tabs never overwrite each other silently) and writes every
change to ScoreChange: who, when, the old value and the new one.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jury.models import Assignment, Round
from jury.rules import own_assignments
from submissions import notifications
from submissions.dates import format_in_call_timezone
from submissions.errors import (
    REQUIRED,
    Conflict,
    DomainError,
    NotAllowed,
    NotFound,
    PreconditionFailed,
    text,
    translatable,
)
from submissions.models import User

from .models import Criterion, Score, ScoreChange, ScoreSheet
from .rules import ensure_jury_open, ensure_may_reopen, scored, sheet_locked
from .selectors import rubric, sheets_visible_to, sheets_with_scores
from .validation import number, validate_scores

UNSET = object()
NO_SHEET = _("No such score sheet.")


class VersionRequired(DomainError):
    status_code = 428
    code = "version_required"


@dataclass(frozen=True)
class Entry:
    """One criterion's line of a sheet, as plain data."""

    value: Decimal | None
    comment: str

    @property
    def empty(self) -> bool:
        return self.value is None and not self.comment


# --- opening ------------------------------------------------------------------------------------


@transaction.atomic
def open_sheet(user: User, assignment_id: int) -> ScoreSheet:
    """The juror's sheet for one of their assignments, created the first time it is opened."""
    assignment = Assignment.objects.filter(own_assignments(user), pk=assignment_id).first()
    if assignment is None:
        raise NotFound(_("You have no such assignment."), code="no_assignment")
    sheet, created = ScoreSheet.objects.get_or_create(assignment=assignment)
    if created:
        _audit(sheet, user, [("status", None, ScoreSheet.Status.DRAFT)])
    return sheets_with_scores().get(pk=sheet.pk)


# --- shared checks ------------------------------------------------------------------------------


def _lock_visible(user: User, sheet_id: int) -> ScoreSheet:
    """The sheet, locked until the transaction ends; 404 for anyone who may not read it."""
    sheet = sheets_visible_to(user).select_for_update(of=("self",)).filter(pk=sheet_id).first()
    if sheet is None:
        raise NotFound(NO_SHEET, code="no_sheet")
    return sheet


def _lock_own(user: User, sheet_id: int) -> ScoreSheet:
    """The juror's own sheet, locked; 403 for a reader who may see it but not change it (a
    chair, the secretariat), 404 for anyone else. The same rule as sheets_visible_to's own
    sheets, in a simpler query: this is the autosave's path."""
    sheet = user.is_juror and (
        sheets_with_scores()
        .select_for_update(of=("self",))
        .filter(own_assignments(user, "assignment__"), pk=sheet_id)
        .first()
    )
    if not sheet:
        if sheets_visible_to(user).filter(pk=sheet_id).exists():
            raise NotAllowed(_("Only the juror who owns this sheet can change it."))
        raise NotFound(NO_SHEET, code="no_sheet")
    return sheet


def _ensure_draft(sheet: ScoreSheet) -> None:
    if sheet_locked(sheet):
        call, moment = sheet.assignment.round.call, sheet.submitted_at
        if moment:
            raise Conflict(
                _(
                    "This sheet was submitted on %(when)s and is locked. Ask the jury's chair to "
                    "reopen it if a score must change."
                ),
                code="sheet_submitted",
                when=format_in_call_timezone(call, moment),
            )
        raise Conflict(
            _(
                "This sheet was submitted and is locked. Ask the jury's chair to reopen it if a "
                "score must change."
            ),
            code="sheet_submitted",
        )


def _require_version(version: int | None) -> int:
    if version is None:
        raise VersionRequired(
            _(
                "Send the version of the sheet you are changing (If-Match: the sheet's ETag, or "
                '"version" in the body), so that a save from another tab is never overwritten.'
            ),
            fields={"version": [REQUIRED]},
        )
    return version


def _stale(sheet: ScoreSheet, version: int) -> PreconditionFailed:
    return PreconditionFailed(
        _(
            "Someone saved this sheet in another tab or window since you loaded it (you have "
            "version %(mine)s, the sheet is at version %(theirs)s). Nothing was saved: reload "
            "the sheet to see the latest scores, then make your change again."
        ),
        fields={"version": [text(_("The sheet is at version %(theirs)s."), theirs=sheet.version)]},
        mine=version,
        theirs=sheet.version,
    )


def _bump(sheet: ScoreSheet, version: int, **fields) -> None:
    """Move the sheet to the next version, if and only if it is still at `version`.

    The row lock already orders writers on PostgreSQL; the condition keeps SQLite (no row
    locks) from losing an update between the read and the write."""
    if version != sheet.version:
        raise _stale(sheet, version)
    now = timezone.now()
    moved = ScoreSheet.objects.filter(pk=sheet.pk, version=version).update(
        version=F("version") + 1, updated_at=now, **fields
    )
    if not moved:
        raise _stale(sheet, version)
    sheet.version, sheet.updated_at = version + 1, now
    for name, value in fields.items():
        setattr(sheet, name, value)


def _audit(sheet: ScoreSheet, actor: User, changes: list[tuple], reason: str = "") -> None:
    ScoreChange.objects.bulk_create(
        ScoreChange(
            sheet=sheet, actor=actor, field=field, old_value=old, new_value=new, reason=reason
        )
        for field, old, new in changes
    )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else number(value)


def _state(sheet: ScoreSheet) -> dict[str, Entry]:
    return {s.criterion.key: Entry(s.value, s.comment) for s in sheet.scores.all()}


# --- drafts -------------------------------------------------------------------------------------


def merged(current: dict[str, Entry], scores: list[dict], *, partial: bool) -> dict[str, Entry]:
    """The sheet after a write: PUT replaces every line, PATCH only the lines it names.

    A line with no value and no comment is no line at all."""
    result = dict(current) if partial else {}
    for score in scores:
        result[score["criterion"]] = Entry(score.get("value"), score.get("comment") or "")
    return {key: entry for key, entry in result.items() if not entry.empty}


def changes_between(before: dict[str, Entry], after: dict[str, Entry]) -> list[tuple]:
    """(field, old, new) for each value and each comment that differs, in key order."""
    changes = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key, Entry(None, "")), after.get(key, Entry(None, ""))
        if old.value != new.value:
            changes.append((key, _text(old.value), _text(new.value)))
        if old.comment != new.comment:
            changes.append((f"{key}.comment", old.comment or None, new.comment or None))
    return changes


@transaction.atomic
def save_draft(
    user: User,
    sheet_id: int,
    *,
    scores: list[dict],
    comment=UNSET,
    version: int | None,
    partial: bool = False,
    now: datetime | None = None,
    criteria: list[dict] | None = None,
    submit: bool = False,
) -> ScoreSheet:
    """Save a draft. A write that changes nothing succeeds whatever version it carries (a
    retried autosave) and leaves the version as it is; any other write needs the current one.

    `criteria`: the round's rubric as the caller read it for its form in this request (read
    here otherwise). `submit`: the page's Submit button, the saved sheet submitted in the same
    transaction with submit_sheet's checks (the sheet is locked once, the rubric read once)."""
    sheet = _lock_own(user, sheet_id)
    round_ = sheet.assignment.round
    ensure_jury_open(round_, now)
    _ensure_draft(sheet)
    version = _require_version(version)
    criteria = rubric(round_) if criteria is None else criteria
    errors = validate_scores(criteria, scores)
    if errors:
        key, messages = next(iter(errors.items()))
        raise DomainError(
            _("Some scores need attention: %(key)s: %(problem)s"),
            code="invalid_scores",
            fields={"scores": translatable(errors)},
            summary=_("Some scores need attention: see the criteria marked below."),
            key=key,
            problem=translatable(messages[0]),
        )
    before = _state(sheet)
    after = merged(before, scores, partial=partial)
    if comment is UNSET:
        comment = sheet.comment if partial else ""
    changes = changes_between(before, after)
    if comment != sheet.comment:
        changes.append(("comment", sheet.comment or None, comment or None))
    if changes:
        _bump(sheet, version, comment=comment)
        _write_scores(sheet, criteria, before, after)
        _audit(sheet, user, changes)
    if submit:
        _submit_locked(user, sheet, criteria, sheet.version if changes else version, now)
    return sheet


def _write_scores(
    sheet: ScoreSheet, criteria: list[dict], before: dict[str, Entry], after: dict[str, Entry]
) -> None:
    """Write the lines that changed, and leave the sheet holding its new lines in rubric order
    (the answer is built from what was written, not read back)."""
    rows = {s.criterion.key: s for s in sheet.scores.all()}
    gone = [rows.pop(key).pk for key in before.keys() - after.keys()]
    if gone:
        Score.objects.filter(pk__in=gone).delete()
    changed = []
    for key in before.keys() & after.keys():
        if before[key] != after[key]:
            row = rows[key]
            row.value, row.comment = after[key].value, after[key].comment
            changed.append(row)
    if changed:
        Score.objects.bulk_update(changed, ["value", "comment"])
    by_key = {c["key"]: c for c in criteria}
    created = [
        Score(
            sheet=sheet,
            criterion=Criterion(pk=by_key[key]["id"], key=key, order=by_key[key]["order"]),
            value=after[key].value,
            comment=after[key].comment,
        )
        for key in after.keys() - before.keys()
    ]
    Score.objects.bulk_create(created)
    lines = [*rows.values(), *created]
    sheet._prefetched_objects_cache["scores"] = sorted(
        lines, key=lambda score: (score.criterion.order, score.criterion_id)
    )


# --- submitting and reopening -------------------------------------------------------------------


@transaction.atomic
def submit_sheet(
    user: User, sheet_id: int, *, version: int | None, now: datetime | None = None
) -> ScoreSheet:
    """Check that every criterion is scored within its scale, with the comments the rubric
    requires, and lock the sheet. The first submission of a round fixes its rubric."""
    sheet = _lock_own(user, sheet_id)
    round_ = sheet.assignment.round
    ensure_jury_open(round_, now)
    _ensure_draft(sheet)
    version = _require_version(version)
    _submit_locked(user, sheet, rubric(round_), version, now)
    return sheets_with_scores().get(pk=sheet.pk)


def _submit_locked(
    user: User, sheet: ScoreSheet, criteria: list[dict], version: int, now: datetime | None
) -> None:
    """Submit a sheet already locked and checked open and in draft (submit_sheet, save_draft)."""
    now = now or timezone.now()
    if version != sheet.version:
        raise _stale(sheet, version)
    # Taking the round's row orders this against a rubric change in progress (which locks it).
    Round.objects.filter(pk=sheet.assignment.round_id, rubric_locked_at__isnull=True).update(
        rubric_locked_at=now
    )
    lines = [
        {"criterion": key, "value": entry.value, "comment": entry.comment}
        for key, entry in _state(sheet).items()
    ]
    errors = validate_scores(criteria, lines, complete=True)
    if errors:
        messages = next(iter(errors.values()))
        raise DomainError(
            _("The sheet is not complete yet: %(problem)s"),
            code="incomplete",
            fields={"scores": translatable(errors)},
            summary=_("The sheet is not complete yet: see the criteria marked below."),
            problem=translatable(messages[0]),
        )
    _bump(sheet, version, status=ScoreSheet.Status.SUBMITTED, submitted_at=now)
    _audit(sheet, user, [("status", ScoreSheet.Status.DRAFT, ScoreSheet.Status.SUBMITTED)])


@transaction.atomic
def reopen_sheet(
    user: User,
    sheet_id: int,
    *,
    reason: str,
    version: int | None = None,
    now: datetime | None = None,
) -> ScoreSheet:
    """The chair (or the secretariat) turns a submitted sheet back into a draft, with a reason
    the juror receives by email."""
    sheet = _lock_visible(user, sheet_id)
    round_ = sheet.assignment.round
    ensure_may_reopen(user, round_.call)
    if not reason.strip():
        raise DomainError(
            _("Say why the sheet is reopened; the juror receives the reason."),
            fields={"reason": [REQUIRED]},
        )
    ensure_jury_open(round_, now)
    if not sheet_locked(sheet):
        raise Conflict(_("This sheet is not submitted: it is open already."), code="not_submitted")
    _bump(
        sheet,
        sheet.version if version is None else version,
        status=ScoreSheet.Status.DRAFT,
        submitted_at=None,
    )
    _audit(
        sheet,
        user,
        [("status", ScoreSheet.Status.SUBMITTED, ScoreSheet.Status.DRAFT)],
        reason=reason.strip(),
    )
    juror, call = sheet.assignment.juror, round_.call
    notifications.send(
        "scoring.reopened",
        juror.email,
        lambda: _("A score sheet was reopened: %(call)s") % {"call": call.title},
        lambda: (
            _(
                "Hello %(name)s,\n\nYour score sheet for entry %(entry)s in %(round)s was reopened "
                "by %(by)s:\n\n%(reason)s\n\nPlease review it and submit it again before "
                "%(deadline)s.\n%(link)s\n"
            )
            % {
                "name": juror.display_name,
                "entry": sheet.assignment.submission_id,
                "round": round_.name,
                "by": user.display_name,
                "reason": reason.strip(),
                "deadline": format_in_call_timezone(call, round_.jury_deadline),
                "link": notifications.absolute_url("/juror/"),
            }
        ),
        user=juror,
    )
    return sheets_with_scores().get(pk=sheet.pk)


# --- before an assignment goes ------------------------------------------------------------------


def discard_untouched(assignments) -> None:
    """Delete the sheets of these assignments that hold no work (opened, nothing written), so
    that jury may decline or remove the assignments; a sheet with work stays (rules.scored)."""
    ScoreSheet.objects.filter(assignment__in=assignments).exclude(scored()).delete()
