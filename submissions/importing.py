"""Bulk import, the writes: members and city contacts (jurors: jury/importing.py).

A preview reads what is stored and plans each row (submissions.imports, pure); applying plans
again inside one transaction, checks that the plan is still the one previewed, and writes it.
New accounts get their invitation through the outbox (members.invite), once the data is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from . import audit, members
from .errors import Conflict, DomainError, NotAllowed, PayloadTooLarge, UnsupportedFile, text
from .import_tables import plan_file
from .imports import (
    MESSAGES,
    NEW,
    UPDATED,
    ImportFileError,
    Plan,
    Problem,
    Stored,
    fold_name,
)
from .models import Organization, Role, User
from .rules import may_manage_account

_FILE_ERRORS = {"too_large": PayloadTooLarge, "not_a_table": UnsupportedFile}


def problem_message(problem: Problem) -> str:
    """A row's or a file's problem in the active language, from its code and parameters."""
    return str(text(MESSAGES[problem.code], **problem.params))


class ImportRefused(DomainError):
    """A file refused as a whole, worded from the problem's code in the reader's language."""

    def __init__(self, problem: Problem):
        super().__init__(MESSAGES[problem.code], code=f"import_{problem.code}", **problem.params)
        self.problem = problem
        self.status_code = _FILE_ERRORS.get(problem.code, DomainError).status_code


class PreviewOutdated(Conflict):
    """What is stored changed between the preview and the apply: nothing was written."""

    def __init__(self, plan: Plan):
        super().__init__(
            _(
                "The data changed since the preview, so nothing was imported. Check the new "
                "preview below, then apply it."
            ),
            code="import_preview_outdated",
        )
        self.plan = plan


@dataclass(frozen=True)
class Importer:
    kind: str
    stored: Callable[[User], Stored]
    write: Callable[[User, Plan], int]  # returns how many invitations were sent


def ensure_may_import(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_secretariat):
        raise NotAllowed(_("Only the secretariat imports members, contacts and jurors."))


def preview(actor: User, importer: Importer, filename: str, data: bytes) -> Plan:
    ensure_may_import(actor)
    try:
        return plan_file(importer.kind, filename, data, importer.stored(actor))
    except ImportFileError as exc:
        raise ImportRefused(exc.problem) from exc


def apply(
    actor: User, importer: Importer, filename: str, data: bytes, expected_digest: str = ""
) -> tuple[Plan, int]:
    """Write the plan's new and updated rows in one transaction; refused rows are left out.
    Returns the plan and how many invitations went out."""
    try:
        with transaction.atomic():
            plan = preview(actor, importer, filename, data)
            if expected_digest and plan.digest() != expected_digest:
                raise PreviewOutdated(plan)
            invited = importer.write(actor, plan)
            audit.record(
                actor,
                "import.applied",
                kind=importer.kind,
                file=filename,
                counts=plan.counts(),
                invited=invited,
            )
    except IntegrityError as exc:  # someone imported the same rows at the same moment
        raise Conflict(
            _(
                "Someone saved some of these records at the same moment, so nothing was "
                "imported. Import the file again to see where things stand."
            ),
            code="import_collision",
        ) from exc
    return plan, invited


# --- members ------------------------------------------------------------------------------------

MEMBER_FIELDS = ("name", "city", "country", "region", "kind", "dues_paid_through")


def stored_organizations() -> dict[str, dict]:
    return {
        fold_name(record["name"]): record for record in Organization.objects.values(*MEMBER_FIELDS)
    }


def _stored_members(actor: User) -> Stored:
    return Stored(organizations=stored_organizations())


def _write_members(actor: User, plan: Plan) -> int:
    for row in plan.rows:
        if row.fate == NEW:
            organization = Organization.objects.create(**row.values)
            audit.record(actor, "organization.created", organization, source="import")
        elif row.fate == UPDATED:
            organization = Organization.objects.get(name=row.values["key"])
            fields = [change.column for change in row.changes]
            for name in fields:
                setattr(organization, name, row.values[name])
            organization.save(update_fields=fields)
            audit.record(
                actor, "organization.changed", organization, source="import", fields=fields
            )
    return 0


MEMBERS = Importer("members", _stored_members, _write_members)


# --- city contacts ------------------------------------------------------------------------------


def account_record(actor: User, user: User) -> dict:
    return {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "manageable": may_manage_account(actor, user),
        "organization": user.organization.name if user.organization else "",
    }


def _stored_contacts(actor: User) -> Stored:
    accounts = {
        user.username.casefold(): account_record(actor, user)
        for user in User.objects.select_related("organization")
    }
    return Stored(organizations=stored_organizations(), accounts=accounts)


def _write_contacts(actor: User, plan: Plan) -> int:
    organizations = {o.name: o for o in Organization.objects.all()}
    invited = 0
    for row in plan.rows:
        values = dict(row.values)
        if "organization" in values:
            values["organization"] = organizations[values["organization"]]
        if row.fate == NEW:
            members.create_user(
                actor, role=Role.CITY_CONTACT, send_invitation=True, **_account_fields(values)
            )
            invited += 1
        elif row.fate == UPDATED:
            user = User.objects.get(username=values["key"])
            changed = {change.column: values[change.column] for change in row.changes}
            members.update_user(actor, user, **changed)
    return invited


def _account_fields(values: dict) -> dict:
    names = ("username", "email", "first_name", "last_name", "organization")
    return {name: values[name] for name in names if name in values}


CONTACTS = Importer("contacts", _stored_contacts, _write_contacts)
