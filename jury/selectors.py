"""Reads for juries: who sits where, and what a juror may see."""

from django.db.models import Exists, OuterRef, QuerySet

from scoring.selectors import round_entries
from submissions.models import Submission, User

from .models import Assignment, Conflict, JuryMember

JUDGED_STATUSES = [
    Submission.Status.ELIGIBLE,
    Submission.Status.SHORTLISTED,
    Submission.Status.AWARDED,
    Submission.Status.NOT_SELECTED,
]


def active_conflicts() -> QuerySet[Conflict]:
    return Conflict.objects.filter(dismissed_at__isnull=True)


def juror_conflicted_with_entry(assignment_path: str) -> Exists:
    """Subquery marker for rows reaching an assignment by `assignment_path` (e.g.
    "sheet__assignment__"): its juror is in active conflict with its entry."""
    return Exists(
        active_conflicts().filter(
            submission_id=OuterRef(f"{assignment_path}submission_id"),
            juror_id=OuterRef(f"{assignment_path}juror_id"),
        )
    )


def conflicted_with(user: User):
    """Subquery marker: the submission has an active conflict with this user."""
    return Exists(active_conflicts().filter(submission=OuterRef("pk"), juror=user))


def chaired_call_ids(user: User) -> QuerySet:
    return JuryMember.objects.filter(juror=user, is_chair=True).values("call_id")


def submissions_for_juror(user: User) -> QuerySet[Submission]:
    """Entries assigned to the juror, plus every judged entry of a call they chair; never a
    conflicted one, whatever else holds."""
    assigned = Exists(
        Assignment.objects.filter(submission=OuterRef("pk"), juror=user, declined_at__isnull=True)
    )
    chaired = Submission.objects.filter(
        call_id__in=chaired_call_ids(user), status__in=JUDGED_STATUSES
    ).values("pk")
    return Submission.objects.filter(assigned | Exists(chaired.filter(pk=OuterRef("pk")))).exclude(
        conflicted_with(user)
    )


def is_chair(user: User, call) -> bool:
    return JuryMember.objects.filter(juror=user, call=call, is_chair=True).exists()


def eligible_entries(call) -> QuerySet[Submission]:
    return Submission.objects.filter(call=call, status__in=JUDGED_STATUSES)


def conflicted_submission_ids(user: User) -> QuerySet:
    return active_conflicts().filter(juror=user).values("submission_id")


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
    """The juror's own active assignments, never on a conflicted entry."""
    return (
        Assignment.objects.filter(juror=user, declined_at__isnull=True)
        .exclude(submission_id__in=conflicted_submission_ids(user))
        .select_related("round__call", "submission__organization", "submission__call", "sheet")
        .prefetch_related("submission__attachments")
    )


def round_assignments(round_, viewer: User) -> QuerySet[Assignment]:
    """A round's assignments as a manager sees them: without the viewer's conflicts."""
    return (
        Assignment.objects.filter(round=round_)
        .exclude(submission_id__in=conflicted_submission_ids(viewer))
        .select_related("juror", "submission")
    )


def progress(round_, viewer: User) -> list[dict]:
    """Per juror of the round: assigned, started and completed sheets, not counting any entry
    the viewer is conflicted with."""
    from django.db.models import Count, Q

    from scoring.models import ScoreSheet
    from scoring.selectors import round_juror_ids

    rows = (
        round_assignments(round_, viewer)
        .filter(declined_at__isnull=True)
        .values("juror_id", "juror__username", "juror__first_name", "juror__last_name")
        .annotate(
            assigned=Count("id"),
            started=Count("id", filter=Q(sheet__isnull=False)),
            completed=Count("id", filter=Q(sheet__status=ScoreSheet.Status.SUBMITTED)),
        )
    )
    by_juror = {row["juror_id"]: row for row in rows}
    jurors = User.objects.filter(pk__in=round_juror_ids(round_)).order_by("username")
    return [
        {
            "juror": juror.pk,
            "username": juror.username,
            "name": juror.get_full_name(),
            "assigned": by_juror.get(juror.pk, {}).get("assigned", 0),
            "started": by_juror.get(juror.pk, {}).get("started", 0),
            "completed": by_juror.get(juror.pk, {}).get("completed", 0),
        }
        for juror in jurors
    ]
