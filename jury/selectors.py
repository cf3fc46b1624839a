"""Reads for juries: who sits where, the rounds with their entries and jurors, and what a juror
may see."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from submissions.errors import DomainError, NotFound
from submissions.models import Role, Submission, User
from submissions.rules import JUDGED_STATUSES

from .models import Assignment, Conflict, JuryMember, Round
from .rules import (
    chaired_call_ids,
    conflicted_submission_ids,
    conflicted_with,
    own_assignments,
)


def submissions_for_juror(user: User) -> QuerySet[Submission]:
    """Entries assigned to the juror, plus every judged entry of a call they chair; never a
    conflicted one, whatever else holds."""
    assigned = Exists(Assignment.objects.filter(own_assignments(user), submission=OuterRef("pk")))
    chaired = Submission.objects.filter(
        call_id__in=chaired_call_ids(user), status__in=JUDGED_STATUSES
    ).values("pk")
    return Submission.objects.filter(assigned | Exists(chaired.filter(pk=OuterRef("pk")))).exclude(
        conflicted_with(user)
    )


def eligible_entries(call) -> QuerySet[Submission]:
    return Submission.objects.filter(call=call, status__in=JUDGED_STATUSES)


def manageable_entries(round_, actor: User) -> QuerySet[Submission]:
    """A round's entries as the one running its jury may act on them. A chair's conflicts bind
    the chair in every jury action (preview, apply, manual assignment, progress, the assignment
    page): an entry they are conflicted with is, for them, not in the round at all."""
    return round_entries(round_).exclude(pk__in=conflicted_submission_ids(actor))


def visible_conflicts(user: User) -> QuerySet[Conflict]:
    """Staff see every conflict; a chair those of their calls on entries they may see;
    a juror their own."""
    conflicts = Conflict.objects.select_related("juror", "dismissed_by")
    if user.is_secretariat:
        return conflicts
    if not user.is_juror:
        return conflicts.none()
    chaired = conflicts.filter(call_id__in=chaired_call_ids(user)).exclude(
        submission_id__in=conflicted_submission_ids(user)
    )
    return conflicts.filter(juror=user) | chaired


def juror_assignments(user: User) -> QuerySet[Assignment]:
    """The juror's own active assignments (jury.rules.own_assignments), never on a conflicted
    entry, with what their list shows."""
    return (
        Assignment.objects.filter(own_assignments(user))
        .select_related("round__call", "submission__organization", "submission__call")
        .prefetch_related("submission__attachments")
    )


def round_assignments(round_, viewer: User) -> QuerySet[Assignment]:
    """A round's assignments as a manager sees them: without the viewer's conflicts."""
    return (
        Assignment.objects.filter(round=round_)
        .exclude(submission_id__in=conflicted_submission_ids(viewer))
        .select_related("juror", "submission")
    )


# --- rounds -------------------------------------------------------------------------------------


def round_entries(round_: Round) -> QuerySet[Submission]:
    """Round 1 judges every eligible entry of the call; a later round, its own shortlist."""
    if round_.number == 1:
        return eligible_entries(round_.call)
    return round_.entries.all()


def round_juror_ids(round_: Round) -> list[int]:
    """The jury of a round: its own subset, or the whole jury of the call."""
    subset = list(round_.jurors.values_list("pk", flat=True))
    if subset:
        return subset
    return list(JuryMember.objects.filter(call=round_.call).values_list("juror_id", flat=True))


def current_round(call) -> Round | None:
    """The latest round of a call, or None before any round exists."""
    return Round.objects.filter(call=call).order_by("-number").first()


def no_such_round(number) -> NotFound:
    return NotFound(_("This call has no round %(number)s."), code="no_round", number=number)


def round_of(call, number=None) -> Round:
    """The round a request names (by number), or the call's latest; a clear 4xx otherwise."""
    if number in (None, ""):
        found = current_round(call)
        if found is None:
            raise NotFound(_("This call has no judging round yet."), code="no_round")
        return found
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise DomainError(_("round must be a round number such as 1 or 2.")) from None
    found = Round.objects.filter(call=call, number=number).first()
    if found is None:
        raise no_such_round(number)
    return found


def jury_of(call) -> QuerySet[JuryMember]:
    """The call's jury with each juror's profile, the chair first, then by name (one query)."""
    return (
        JuryMember.objects.filter(call=call)
        .select_related("juror__juror_profile")
        .order_by("-is_chair", "juror__last_name", "juror__first_name", "juror__username")
    )


def juror_candidates(call, search: str = "", limit: int = 20) -> QuerySet[User]:
    """Active juror accounts not yet on the call's jury whose name, user name or email holds
    `search` (every one of its words), by name (one query)."""
    candidates = (
        User.objects.filter(role=Role.JUROR, is_active=True)
        .exclude(jury_seats__call=call)
        .select_related("juror_profile")
    )
    for word in search.split():
        candidates = candidates.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
        )
    return candidates.order_by("last_name", "first_name", "username")[:limit]


def assignments_in_call(call, juror: User) -> QuerySet[Assignment]:
    """A juror's assignments in every round of the call, declined ones included."""
    return Assignment.objects.filter(round__call=call, juror=juror)
