"""Reads for scoring and results."""

from django.db.models import QuerySet

from submissions.models import Submission, User


def submissions_for_board(user: User) -> QuerySet[Submission]:
    """The Board sees the shortlisted entries of rounds whose results were released."""
    return Submission.objects.filter(
        rounds__results_released_at__isnull=False,
        status__in=[
            Submission.Status.SHORTLISTED,
            Submission.Status.AWARDED,
            Submission.Status.NOT_SELECTED,
        ],
    ).distinct()
