"""What the secretariat's pages share: counts per status, the reminders due, the call and the
round a page is about."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse

from jury.rules import manages_jury
from jury.selectors import round_of
from scoring import reminders
from scoring.rules import is_released
from submissions.errors import DomainError
from submissions.models import Call, Submission

from ..common import role_required


def status_counts(call_ids) -> dict[int, Counter]:
    rows = (
        Submission.objects.filter(call_id__in=call_ids)
        .values("call_id", "status")
        .annotate(n=Count("id"))
    )
    counts: dict[int, Counter] = {}
    for row in rows:
        counts.setdefault(row["call_id"], Counter())[row["status"]] = row["n"]
    return counts


def pending_reminders() -> tuple[list, int]:
    due = reminders.due_reminders()
    sent = reminders.already_sent(due)
    return [r for r in due if r.dedupe_key not in sent], len(sent)


def with_release(round_):
    """The round, with whether its results are released to the Board (for the templates)."""
    round_.released = is_released(round_)
    return round_


# Signed-in secretariat or juror; whether a juror chairs this call is checked by managed_call.
manager_or_secretariat = role_required(lambda user: user.is_secretariat or user.is_juror)


def managed_call(request, slug: str) -> Call:
    """The call, for the secretariat or its jury's chair (jury.rules.manages_jury); a 404 page
    for no such call, a 403 page for anyone else."""
    call = get_object_or_404(Call, slug=slug)
    if not manages_jury(request.user, call):
        raise PermissionDenied
    return call


def round_shown(call: Call, number, *, busy: dict | None = None):
    """The round asked for; else the latest round with work to show (``busy`` filters the
    rounds, e.g. those with submitted sheets); else the call's latest round."""
    if number in (None, "") and busy:
        found = call.rounds.filter(**busy).order_by("-number").first()
        if found is not None:
            return found, None
    try:
        return round_of(call, number), None
    except DomainError as error:
        return None, error.message


def url_of(name: str, slug: str) -> str:
    return reverse(name, kwargs={"slug": slug})
