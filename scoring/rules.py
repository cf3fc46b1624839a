"""The rules of judging, each in one place: when the jury may write, when a rubric may change,
who reads a rubric, who sees other jurors' scores, whether a juror has scored, which rounds are
released to the Board, who sees results and who decides, who reads and writes the jury's
discussion of an entry and its consensus note. The services, the API and the pages
ask here; templates receive the booleans these functions compute."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jury.models import Assignment, Round
from jury.rules import active_conflicts, is_chair, manages_jury, own_assignments, sits_on_jury
from jury.selectors import round_entries
from submissions.dates import format_in_call_timezone
from submissions.errors import Conflict, DeadlinePassed, NotAllowed, NotFound
from submissions.models import Call, Submission, User

from .models import Score, ScoreChange, ScoreSheet


def ensure_jury_open(round_: Round, now: datetime | None = None) -> None:
    """Jurors write scores until the round's jury deadline, and not a second later."""
    now = now or timezone.now()
    if now > round_.jury_deadline:
        call = round_.call
        raise DeadlinePassed(
            _(
                "The jury deadline of %(round)s (%(call)s) passed at %(when)s. Scores can no "
                "longer be changed; what was saved before is kept."
            ),
            round=round_.name,
            call=call.title,
            when=format_in_call_timezone(call, round_.jury_deadline),
        )


def rubric_is_locked(round_: Round) -> bool:
    """A rubric is fixed once any sheet of its round was submitted, even if later reopened:
    sheets scored against one rubric must not be compared with sheets scored against another."""
    if round_.rubric_locked_at is not None:
        return True
    return ScoreSheet.objects.filter(
        assignment__round=round_, status=ScoreSheet.Status.SUBMITTED
    ).exists()


def ensure_rubric_editable(round_: Round) -> None:
    if not rubric_is_locked(round_):
        return
    if round_.rubric_locked_at:
        raise Conflict(
            _(
                "The rubric of %(round)s can no longer change: the first score sheet was "
                "submitted on %(when)s. Create a new round to judge with another rubric."
            ),
            code="rubric_locked",
            round=round_.name,
            when=format_in_call_timezone(round_.call, round_.rubric_locked_at),
        )
    raise Conflict(
        _(
            "The rubric of %(round)s can no longer change: the first score sheet was "
            "submitted. Create a new round to judge with another rubric."
        ),
        code="rubric_locked",
        round=round_.name,
    )


def ensure_reads_rubric(user: User, call: Call) -> None:
    """The secretariat and the call's jury (chair included) read its rounds and rubrics."""
    if not (user.is_secretariat or (user.is_juror and sits_on_jury(user, call))):
        raise NotAllowed(
            _("Only the secretariat and the call's jury can see its rubric and rounds.")
        )


def ensure_may_reopen(user: User, call: Call) -> None:
    if not manages_jury(user, call):
        raise NotAllowed(_("Only the jury's chair or the secretariat can reopen a score sheet."))


def peer_scores_refusal(user: User, sheet: ScoreSheet) -> str | None:
    """Why the user may not see the other jurors' scores on this sheet's entry, or None.

    The caller has already hidden conflicted entries (a 404): this is about timing and policy."""
    call = sheet.assignment.round.call
    if manages_jury(user, call):
        return None
    if sheet.assignment.juror_id != user.pk:
        return _("Only the juror of this sheet can see the other jurors' scores on its entry.")
    if not call.jurors_see_other_scores:
        return _("In this call jurors do not see each other's scores.")
    if not sheet_locked(sheet):
        return _("Submit your own sheet first; then you can see the other jurors' scores.")
    return None


# --- has the juror scored? ----------------------------------------------------------------------


def scored() -> Q:
    """The sheets on which the juror has scored: submitted, or a draft holding anything written
    (a value, a comment, a change in its audit trail beyond its opening). Such a sheet is never
    deleted, and with it its trail: unassigning refuses, declining and recusing keep it."""
    opening = Q(field="status", old_value__isnull=True)
    trail = ScoreChange.objects.filter(sheet=OuterRef("pk")).exclude(opening)
    lines = Score.objects.filter(sheet=OuterRef("pk"))
    return Q(status=ScoreSheet.Status.SUBMITTED) | Exists(lines) | Exists(trail)


def scored_assignments(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    sheets = ScoreSheet.objects.filter(scored(), assignment=OuterRef("pk"))
    return assignments.filter(Exists(sheets))


def submitted_assignments(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return assignments.filter(sheet__status=ScoreSheet.Status.SUBMITTED)


def sheet_locked(sheet: ScoreSheet) -> bool:
    """A submitted sheet is locked until the chair reopens it."""
    return sheet.status == ScoreSheet.Status.SUBMITTED


# --- released rounds, results and decisions --------------------------------------------------


def is_released(round_: Round) -> bool:
    """The secretariat released the round's results to the Board."""
    return round_.results_released_at is not None


def released(prefix: str = "") -> Q:
    """is_released as a filter, on rounds reached by `prefix` (e.g. "assignment__round__")."""
    return Q(**{f"{prefix}results_released_at__isnull": False})


def can_view_results(user: User, call: Call, round_: Round) -> bool:
    """Those who run the jury (the secretariat, the chair) always; the Board once the round's
    results are released."""
    if not user.is_authenticated:
        return False
    if manages_jury(user, call):
        return True
    return user.is_board and is_released(round_)


def ensure_can_view_results(user: User, call: Call, round_: Round) -> None:
    if can_view_results(user, call, round_):
        return
    if user.is_board:
        raise NotAllowed(
            _("The secretariat has not released this round's results to the Board yet."),
            code="not_released",
        )
    raise NotAllowed(
        _("Only the secretariat, the jury's chair and, once released, the Board see results.")
    )


def may_decide(user: User) -> bool:
    return user.is_authenticated and (user.is_secretariat or user.is_board)


def ensure_may_decide(user: User, call: Call) -> None:
    """The secretariat, or the Board once a round of the call is released to it."""
    if not may_decide(user):
        raise NotAllowed(_("Only the Board or the secretariat records decisions."))
    if user.is_board and not call.rounds.filter(released()).exists():
        raise NotAllowed(
            _("The Board decides once the secretariat has released the results."),
            code="not_released",
        )


# --- deliberation (docs/deliberation.md) -------------------------------------------------------

READS, WRITES = "reads", "writes"


def no_such_entry_in_round(round_number, number) -> NotFound:
    """The one answer for an entry the reader may not know is in the round: missing, another
    call's, not in this round (or no such round), not theirs to judge, or one they are in
    conflict with."""
    return NotFound(
        _("Round %(round)s has no entry no. %(number)s that you can open."),
        round=round_number,
        number=number,
    )


def ensure_in_round(round_: Round, entry: Submission) -> None:
    if entry.call_id != round_.call_id or not round_entries(round_).filter(pk=entry.pk).exists():
        raise no_such_entry_in_round(round_.number, entry.pk)


def deliberation_access(user: User, round_: Round, entry: Submission) -> str:
    """What the user may do in the jury's discussion of an entry in a round: WRITES for a juror
    of the entry in this round whose own sheet is submitted (before that, reading the others
    would bias their scores) and for the jury's chair (once their own sheet is submitted, if
    they judge the entry too); READS for the secretariat. A juror in
    conflict with the entry, the chair included, or not judging it in this round, gets the 404
    of an entry that does not exist; anyone else a 403. The caller has already answered 404
    for an entry the user may not see at all (submissions.visibility)."""
    # Those who never take part are refused before the round is looked at: whether their own
    # entry is in a round (eligible, shortlisted) is a verdict they learn at the announcement.
    if not (user.is_authenticated and (user.is_secretariat or user.is_juror)):
        if user.is_authenticated and user.is_board:
            raise NotAllowed(_("The Board reads the consensus notes, not the jury's discussion."))
        raise NotAllowed(
            _("The jury's discussion is open only to its jurors, its chair and the secretariat.")
        )
    ensure_in_round(round_, entry)
    if user.is_secretariat:
        return READS
    if active_conflicts().filter(juror=user, submission=entry).exists():
        raise no_such_entry_in_round(round_.number, entry.pk)
    assignment = (
        Assignment.objects.filter(own_assignments(user), round=round_, submission=entry)
        .select_related("sheet")
        .first()
    )
    chairs = is_chair(user, round_.call)
    if assignment is None and not chairs:
        raise no_such_entry_in_round(round_.number, entry.pk)
    # A chair who also judges the entry does not peek either.
    sheet = getattr(assignment, "sheet", None) if assignment is not None else None
    if assignment is not None and (sheet is None or not sheet_locked(sheet)):
        raise NotAllowed(
            _(
                "Submit your own sheet first; then you can read and join the jury's "
                "discussion of this entry."
            ),
            code="sheet_not_submitted",
        )
    return WRITES


def ensure_may_post(user: User, round_: Round, entry: Submission) -> None:
    if deliberation_access(user, round_, entry) != WRITES:
        raise NotAllowed(
            _("The secretariat reads the jury's discussion; the jurors and the chair write in it.")
        )


def records_consensus(user: User, call: Call) -> bool:
    """The jury's chair words what the jury agreed; the secretariat only reads it."""
    return bool(user.is_authenticated and user.is_juror and is_chair(user, call))


def ensure_may_record_consensus(user: User, round_: Round, entry: Submission) -> None:
    deliberation_access(user, round_, entry)
    if not records_consensus(user, round_.call):
        raise NotAllowed(_("Only the jury's chair records the consensus note."))


def ensure_reads_consensus(user: User, round_: Round, entry: Submission) -> None:
    """Who reads the discussion reads its consensus note; the Board reads the notes of rounds
    released to it (as it reads their results), never the discussion itself."""
    if user.is_authenticated and user.is_board:
        ensure_in_round(round_, entry)
        if not is_released(round_):
            raise NotAllowed(
                _("The secretariat has not released this round's results to the Board yet."),
                code="not_released",
            )
        return
    deliberation_access(user, round_, entry)
