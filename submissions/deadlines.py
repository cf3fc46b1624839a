"""The deadline in force: one rule, used by the API, the pages, the commands and the admin."""

from datetime import datetime

from django.utils import formats, timezone

from .errors import DeadlinePassed
from .models import Call, DeadlineExtension, Organization


def deadline_for(call: Call, organization: Organization | None) -> datetime:
    """The call's deadline, or a later one granted to this organization alone."""
    deadline = call.deadline
    if organization is None:
        return deadline
    own = (
        DeadlineExtension.objects.filter(call=call, organization=organization)
        .order_by("-created_at", "-id")
        .values_list("deadline", flat=True)
        .first()
    )
    return max(deadline, own) if own else deadline


def format_in_call_timezone(call: Call, moment: datetime) -> str:
    local = timezone.localtime(moment, call.tzinfo)
    return f"{formats.date_format(local, 'j F Y H:i')} {local.tzname()}"


def ensure_open(call: Call, organization: Organization | None, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if now < call.opens_at:
        raise DeadlinePassed(
            f"This call opens on {format_in_call_timezone(call, call.opens_at)}.",
            code="call_not_open",
        )
    deadline = deadline_for(call, organization)
    if now > deadline:
        raise DeadlinePassed(
            f"The deadline for this call passed at {format_in_call_timezone(call, deadline)}. "
            "Nothing can be changed any more; what was saved before is kept."
        )
