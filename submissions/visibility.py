"""Which submissions a user may see: the one rule every list, detail, download and export uses."""

import re

from django.db.models import QuerySet
from django.utils import timezone

from .models import Submission, User


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
    if user.is_juror:
        from jury.selectors import submissions_for_juror

        return submissions_for_juror(user)
    if user.is_board:
        from scoring.selectors import submissions_for_board

        return submissions_for_board(user)
    return submissions.none()


def identity_hidden_for(user: User, call) -> bool:
    """In a blind call, jurors never learn who submitted: no name, city, contact or file name."""
    return bool(call.blind and user.is_authenticated and user.is_juror)


def redact(value, names: list[str]):
    """Replace every mention of the entrant in a text (or the texts inside a JSON value)."""
    if isinstance(value, str):
        for name in sorted(filter(None, names), key=len, reverse=True):
            value = re.sub(re.escape(name), "[entrant]", value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {key: redact(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item, names) for item in value]
    return value


# Statuses that tell the jury's or the Board's verdict: a city reads them only once the call's
# decisions are announced; before that its entry is "under review".
VERDICT_STATUSES = frozenset({"shortlisted", "awarded", "not_selected"})


def is_announced(call, now=None) -> bool:
    return call.announcement_at is not None and (now or timezone.now()) >= call.announcement_at


def status_shown_to(user: User, submission: Submission) -> str:
    hidden = user.is_city_contact and not user.is_secretariat
    if hidden and submission.status in VERDICT_STATUSES and not is_announced(submission.call):
        return "under_review"
    return submission.status
