"""The rules of members, calls and entries, each in one place (pretalx's rules.py is the model).
The services, the API, the pages, the admin and the commands ask here; templates receive the
booleans these functions compute.

Accounts: a superuser changes any account. A secretariat member who is not a superuser manages
the other accounts (city contacts, jurors, the Board), never a superuser or a staff account
(their password, role, active flag, email or invitation), and never makes an account
privileged: otherwise one secretariat login could take over the platform's owners.
"""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from .errors import NotAllowed
from .models import Role, User

PRIVILEGED_ROLES = frozenset({Role.SECRETARIAT})


def ensure_acts_for(user: User, organization) -> None:
    """A city contact acts for their own organization only; the secretariat for any."""
    if not (user.is_secretariat or user.organization_id == organization.id):
        raise NotAllowed("You can only act for your own organization.")


def ensure_secretariat(user: User, action: str) -> None:
    """Only the secretariat does this `action` (words that complete "Only the secretariat can")."""
    if not user.is_secretariat:
        raise NotAllowed(f"Only the secretariat can {action}.")


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
            "Only a superuser can change a superuser or a secretariat account.",
            code="privileged_account",
        )


def ensure_may_grant_role(actor: User, role: str) -> None:
    if not may_grant_role(actor, role):
        raise NotAllowed(
            "Only a superuser can give an account the secretariat role.",
            code="privileged_account",
            fields={"role": ["Only a superuser can give this role."]},
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
