"""Reminders as deadlines near: jurors with sheets left to submit, city contacts with drafts.

Schedule: a reminder 7, 3 and 1 days before a deadline, counted in calendar days in the
call's time zone (the deadline's own day counts as 0 and falls in the 1-day window). Each
window sends at most once per person, round (or call) and deadline: the outbox's unique
dedupe key holds that, so the command is safe to run from cron as often as wanted, and a
missed day only means the next run sends the reminder of the window it is in. A moved
deadline (a later jury deadline, a call's or a city's extension) starts the windows afresh.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jury.models import Assignment, Round
from jury.rules import active_assignments
from submissions import notifications
from submissions.dates import format_in_call_timezone
from submissions.models import Call, DeadlineExtension, OutboxMessage, Role, Submission, User

from .models import ScoreSheet

WINDOWS = (1, 3, 7)  # days before the deadline, tightest first


@dataclass(frozen=True)
class Reminder:
    """One reminder; subject and body are functions, rendered in the recipient's language."""

    kind: str
    to: str
    subject: Callable[[], str]
    body: Callable[[], str]
    dedupe_key: str
    user: User | None = None


def window(deadline: datetime, now: datetime, tz) -> int | None:
    """The reminder window `now` falls in (1, 3 or 7 days before), or None."""
    if now > deadline:
        return None
    days_left = (timezone.localtime(deadline, tz).date() - timezone.localtime(now, tz).date()).days
    return next((days for days in WINDOWS if days_left <= days), None)


def _days(days: int) -> str:
    return _("in a day") if days == 1 else _("within %(days)s days") % {"days": days}


# --- jurors -------------------------------------------------------------------------------------


def juror_reminders(now: datetime) -> list[Reminder]:
    """One reminder per juror and round whose jury deadline nears, if sheets are left."""
    reminders = []
    rounds = Round.objects.filter(jury_deadline__gte=now).select_related("call")
    for round_ in rounds:
        call = round_.call
        days = window(round_.jury_deadline, now, call.tzinfo)
        if days is None:
            continue
        open_work = (
            Assignment.objects.filter(active_assignments(), round=round_)
            .exclude(sheet__status=ScoreSheet.Status.SUBMITTED)
            .values("juror_id")
            .annotate(left=Count("id"), unstarted=Count("id", filter=Q(sheet__isnull=True)))
        )
        counts = {row["juror_id"]: row for row in open_work}
        for juror in User.objects.filter(pk__in=counts, is_active=True).exclude(email=""):
            left, unstarted = counts[juror.pk]["left"], counts[juror.pk]["unstarted"]
            reminders.append(
                Reminder(
                    kind="reminder.juror",
                    to=juror.email,
                    subject=partial(_juror_subject, days, call),
                    body=partial(_juror_body, juror, left, unstarted, round_, call),
                    user=juror,
                    dedupe_key=(
                        f"reminder:juror:{juror.pk}:{round_.pk}:"
                        f"{round_.jury_deadline:%Y%m%d%H%M}:{days}d"
                    ),
                )
            )
    return reminders


def _juror_subject(days: int, call: Call) -> str:
    return _("Scores due %(when)s: %(call)s") % {"when": _days(days), "call": call.title}


def _juror_body(juror: User, left: int, unstarted: int, round_: Round, call: Call) -> str:
    not_started = (
        _(", %(count)s of them not opened yet") % {"count": unstarted} if unstarted else ""
    )
    return ngettext(
        "Hello %(name)s,\n\n%(left)s entry is still to score in %(round)s of %(call)s"
        "%(not_started)s. The jury deadline is %(deadline)s; after it no score can change.\n"
        "%(link)s\n",
        "Hello %(name)s,\n\n%(left)s entries are still to score in %(round)s of %(call)s"
        "%(not_started)s. The jury deadline is %(deadline)s; after it no score can change.\n"
        "%(link)s\n",
        left,
    ) % {
        "name": juror.display_name,
        "left": left,
        "round": round_.name,
        "call": call.title,
        "not_started": not_started,
        "deadline": format_in_call_timezone(call, round_.jury_deadline),
        "link": notifications.absolute_url("/juror/"),
    }


# --- city contacts ------------------------------------------------------------------------------


def draft_reminders(now: datetime) -> list[Reminder]:
    """One reminder per city contact and call whose deadline in force for their organization
    (after any extension) nears, while the organization has drafts in it."""
    later_extension = DeadlineExtension.objects.filter(
        call=OuterRef("call_id"), deadline__gte=now
    ).filter(Q(organization__isnull=True) | Q(organization=OuterRef("organization_id")))
    drafts = (
        Submission.objects.filter(status=Submission.Status.DRAFT, call__opens_at__lte=now)
        .filter(Q(call__deadline__gte=now) | Exists(later_extension))
        .select_related("call", "organization")
        .order_by("call_id", "organization_id", "id")
    )
    grouped: dict[tuple[Call, object], list[Submission]] = {}
    for draft in drafts:
        grouped.setdefault((draft.call, draft.organization), []).append(draft)
    reminders = []
    for (call, organization), entries in grouped.items():
        deadline = call.deadline_for(organization)
        days = window(deadline, now, call.tzinfo)
        if days is None:
            continue
        contacts = User.objects.filter(
            organization=organization, role=Role.CITY_CONTACT, is_active=True
        ).exclude(email="")
        for contact in contacts:
            reminders.append(
                Reminder(
                    kind="reminder.draft",
                    to=contact.email,
                    subject=partial(_draft_subject, days, call),
                    body=partial(_draft_body, contact, organization, entries, call, deadline),
                    user=contact,
                    dedupe_key=(
                        f"reminder:draft:{contact.pk}:{call.pk}:{deadline:%Y%m%d%H%M}:{days}d"
                    ),
                )
            )
    return reminders


def _draft_subject(days: int, call: Call) -> str:
    return _("Deadline %(when)s: %(call)s") % {"when": _days(days), "call": call.title}


def _draft_body(contact: User, organization, entries: list, call: Call, deadline) -> str:
    titles = "\n".join(f"- {entry.title or _('Untitled draft')}" for entry in entries)
    return ngettext(
        "Hello %(name)s,\n\n%(organization)s has %(count)s draft in %(call)s not submitted "
        "yet:\n%(titles)s\n\nThe deadline for %(organization)s is %(deadline)s. A draft that "
        "is not submitted by then is not judged.\n%(link)s\n",
        "Hello %(name)s,\n\n%(organization)s has %(count)s drafts in %(call)s not submitted "
        "yet:\n%(titles)s\n\nThe deadline for %(organization)s is %(deadline)s. A draft that "
        "is not submitted by then is not judged.\n%(link)s\n",
        len(entries),
    ) % {
        "name": contact.display_name,
        "organization": organization.name,
        "count": len(entries),
        "call": call.title,
        "titles": titles,
        "deadline": format_in_call_timezone(call, deadline),
        "link": notifications.absolute_url("/"),
    }


def due_reminders(now: datetime | None = None) -> list[Reminder]:
    now = now or timezone.now()
    return juror_reminders(now) + draft_reminders(now)


def already_sent(reminders: list[Reminder]) -> set[str]:
    keys = [r.dedupe_key for r in reminders]
    return set(
        OutboxMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )


def send(reminders: list[Reminder]) -> int:
    """Send each reminder not sent before; the number sent."""
    return sum(
        notifications.send(r.kind, r.to, r.subject, r.body, dedupe_key=r.dedupe_key, user=r.user)
        for r in reminders
    )
