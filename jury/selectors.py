"""Reads for juries: who sits where, and what a juror may see."""

from django.db.models import Exists, OuterRef, QuerySet

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
