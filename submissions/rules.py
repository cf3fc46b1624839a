"""The rules of members, calls and entries, each in one place (pretalx's rules.py is the model).
The services, the API, the pages, the admin and the commands ask here; templates receive the
booleans these functions compute.

Accounts: a superuser changes any account. A secretariat member who is not a superuser manages
the other accounts (city contacts, jurors, the Board), never a superuser or a staff account
(their password, role, active flag, email or invitation), and never makes an account
privileged: otherwise one secretariat login could take over the platform's owners.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .dates import format_in_call_timezone
from .errors import DeadlinePassed, NotAllowed
from .models import Call, DeadlineExtension, Organization, Role, Submission, User

# --- an entry's statuses ---------------------------------------------------------------------

Status = Submission.Status
# Statuses of an entry in judging: eligible, then a verdict of the jury or the Board.
VERDICT_STATUSES = frozenset({Status.SHORTLISTED, Status.AWARDED, Status.NOT_SELECTED})
JUDGED_STATUSES = frozenset({Status.ELIGIBLE, *VERDICT_STATUSES})
# Until the announcement, cities and jurors see every judged entry with this one status.
NEUTRAL_STATUS = "under_review"
# Entries whose eligibility the secretariat reviews (and may review again).
REVIEWED_STATUSES = frozenset({Status.SUBMITTED, Status.ELIGIBLE, Status.INELIGIBLE})
# What a city may still withdraw.
WITHDRAWABLE_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED})
# Entries not (or no longer) sent in: no conflict of interest is looked for on them.
UNSENT_STATUSES = frozenset({Status.DRAFT, Status.WITHDRAWN})
# What counts towards an organization's quota in a call.
COUNTED_STATUSES = frozenset(set(Status.values) - {Status.WITHDRAWN})


def may_withdraw(submission: Submission) -> bool:
    return submission.status in WITHDRAWABLE_STATUSES


# --- the announcement ------------------------------------------------------------------------


def is_announced(call: Call, now: datetime | None = None) -> bool:
    """From the announcement on, verdicts are public (cities, jurors, the winners pages) and
    the Board's decisions final."""
    return call.announcement_at is not None and (now or timezone.now()) >= call.announcement_at


def announced(prefix: str = "", now: datetime | None = None) -> Q:
    """is_announced as a filter, on calls reached by `prefix` (e.g. "call__")."""
    return Q(
        **{
            f"{prefix}announcement_at__isnull": False,
            f"{prefix}announcement_at__lte": now or timezone.now(),
        }
    )


# --- accepting entries -----------------------------------------------------------------------


def accepts_entries(
    call: Call, organization: Organization | None, now: datetime | None = None
) -> bool:
    """Open for this organization: opened, and before the deadline in force for it (its own
    extension included). Call.status_at holds the rule; everything else asks here."""
    return call.status_at(now, organization) == Call.Status.OPEN


def ensure_accepting_entries(
    call: Call, organization: Organization | None, now: datetime | None = None
) -> None:
    now = now or timezone.now()
    status = call.status_at(now, organization)
    if status == Call.Status.UPCOMING:
        raise DeadlinePassed(
            _("This call opens on %(when)s."),
            code="call_not_open",
            when=format_in_call_timezone(call, call.opens_at),
        )
    if status == Call.Status.CLOSED:
        raise DeadlinePassed(
            _(
                "The deadline for this call passed at %(when)s. Nothing can be changed any "
                "more; what was saved before is kept."
            ),
            when=format_in_call_timezone(call, call.deadline_for(organization)),
        )


def may_still_accept(now: datetime) -> Q:
    """Drafts of calls that may still accept them, as a first, cheap filter: opened, and before
    the call's deadline or a later extension. accepts_entries decides for each organization."""
    later_extension = DeadlineExtension.objects.filter(
        call=OuterRef("call_id"), deadline__gte=now
    ).filter(Q(organization__isnull=True) | Q(organization=OuterRef("organization_id")))
    return Q(call__opens_at__lte=now) & (Q(call__deadline__gte=now) | Exists(later_extension))


PRIVILEGED_ROLES = frozenset({Role.SECRETARIAT})


def ensure_acts_for(user: User, organization) -> None:
    """A city contact acts for their own organization only; the secretariat for any."""
    if not (user.is_secretariat or user.organization_id == organization.id):
        raise NotAllowed(_("You can only act for your own organization."))


def ensure_secretariat(user: User, refusal) -> None:
    """Only the secretariat does this; `refusal` says so to anyone else."""
    if not user.is_secretariat:
        raise NotAllowed(refusal)


def is_privileged(account: User) -> bool:
    """A superuser or staff account: it reaches the admin or acts for the secretariat."""
    return bool(account.is_superuser or account.is_staff or account.role in PRIVILEGED_ROLES)


def may_manage_account(actor: User, account: User) -> bool:
    if not (actor.is_authenticated and actor.is_active and actor.is_secretariat):
        return False
    return actor.is_superuser or not is_privileged(account)


def may_grant_role(actor: User, role: str) -> bool:
    return actor.is_superuser or role not in PRIVILEGED_ROLES


def ensure_may_manage_account(actor: User, account: User) -> None:
    if not may_manage_account(actor, account):
        raise NotAllowed(
            _("Only a superuser can change a superuser or a secretariat account."),
            code="privileged_account",
        )


def ensure_may_grant_role(actor: User, role: str) -> None:
    if not may_grant_role(actor, role):
        raise NotAllowed(
            _("Only a superuser can give an account the secretariat role."),
            code="privileged_account",
            fields={"role": [_("Only a superuser can give this role.")]},
        )


# --- calls: dates a person can mean, and a schedule that holds ------------------------------------

PLAUSIBLE_YEARS = range(2000, 2101)
IMPLAUSIBLE_DATE = _("Give a date between the years 2000 and 2100.")
DEADLINE_BEFORE_OPENING = _("The deadline must come after the opening.")


def plausible(moment: datetime | None) -> bool:
    """A year like 0001 or 9999 is a typing mistake, and cannot be shown in every time zone."""
    return moment is None or moment.year in PLAUSIBLE_YEARS


def schedule_problems(**moments: datetime | None) -> dict[str, list]:
    """What is wrong with a call's dates (opens_at, deadline, announcement_at), by field."""
    problems = {
        name: [IMPLAUSIBLE_DATE] for name, moment in moments.items() if not plausible(moment)
    }
    opens, deadline = moments.get("opens_at"), moments.get("deadline")
    if opens and deadline and deadline <= opens and "deadline" not in problems:
        problems["deadline"] = [DEADLINE_BEFORE_OPENING]
    return problems
