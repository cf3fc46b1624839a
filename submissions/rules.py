"""Who may change an account: one rule for the users API, the admin and any page.

A superuser changes any account. A secretariat member who is not a superuser manages the
other accounts (city contacts, jurors, the Board), never a superuser or a staff account (their
password, role, active flag, email or invitation), and never makes an account privileged:
otherwise one secretariat login could take over the platform's owners.
"""

from .errors import NotAllowed
from .models import Role, User

PRIVILEGED_ROLES = frozenset({Role.SECRETARIAT})


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
