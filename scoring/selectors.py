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


def round_entries(round_) -> QuerySet[Submission]:
    """Round 1 judges every eligible entry of the call; a later round, its own shortlist."""
    from jury.selectors import eligible_entries

    if round_.number == 1:
        return eligible_entries(round_.call)
    return round_.entries.all()


def round_juror_ids(round_) -> list[int]:
    """The jury of a round: its own subset, or the whole jury of the call."""
    from jury.models import JuryMember

    subset = list(round_.jurors.values_list("pk", flat=True))
    if subset:
        return subset
    return list(JuryMember.objects.filter(call=round_.call).values_list("juror_id", flat=True))


def current_round(call):
    """The latest round of a call, or None before any round exists."""
    from .models import Round

    return Round.objects.filter(call=call).order_by("-number").first()


def round_of(call, number=None):
    """The round a request names (by number), or the call's latest; a clear 4xx otherwise."""
    from submissions.errors import DomainError, NotFound

    from .models import Round

    if number in (None, ""):
        found = current_round(call)
        if found is None:
            raise NotFound("This call has no judging round yet.", code="no_round")
        return found
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise DomainError("round must be a round number such as 1 or 2.") from None
    found = Round.objects.filter(call=call, number=number).first()
    if found is None:
        raise NotFound(f"This call has no round {number}.", code="no_round")
    return found
