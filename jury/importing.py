"""Bulk import of jurors: accounts, their profile (affiliation, city, country: what conflicts
are judged on) and, when the file names a call, their seat on its jury with their expertise.

Also the list of every import the pages and the API offer (members and contacts are written by
submissions/importing.py; this app sits above it, so it can name all three).
"""

from __future__ import annotations

from django.db.models import Prefetch

from submissions import members
from submissions.importing import CONTACTS, MEMBERS, Importer, account_record
from submissions.imports import NEW, UPDATED, Plan, Stored
from submissions.models import Call, Role, User

from .models import JurorProfile, JuryMember
from .services import detect_conflicts, seat_juror

PROFILE_FIELDS = ("affiliation", "city", "country")
ACCOUNT_FIELDS = ("email", "first_name", "last_name")


def _stored_jurors(actor: User) -> Stored:
    users = User.objects.select_related("organization", "juror_profile")
    accounts = {}
    for user in users:
        record = account_record(actor, user)
        profile = getattr(user, "juror_profile", None)
        for name in PROFILE_FIELDS:
            record[name] = getattr(profile, name) if profile else ""
        accounts[user.username.casefold()] = record
    seats = {
        (username.casefold(), slug): expertise
        for username, slug, expertise in JuryMember.objects.values_list(
            "juror__username", "call__slug", "expertise"
        )
    }
    calls = dict(Call.objects.values_list("slug", "themes"))
    return Stored(accounts=accounts, calls=calls, seats=seats)


def _write_jurors(actor: User, plan: Plan) -> int:
    calls = {call.slug: call for call in Call.objects.all()}
    invited = 0
    recheck: set[str] = set()  # calls whose conflicts may change with a profile
    for row in plan.rows:
        if row.fate not in (NEW, UPDATED):
            continue
        values = row.values
        if row.fate == NEW:
            fields = {n: values[n] for n in ("username", *ACCOUNT_FIELDS) if n in values}
            juror = members.create_user(actor, role=Role.JUROR, send_invitation=True, **fields)
            invited += 1
        else:
            juror = User.objects.prefetch_related(
                Prefetch("jury_seats", queryset=JuryMember.objects.select_related("call"))
            ).get(username=values["key"])
            changed = {c.column: values[c.column] for c in row.changes if c.column in values}
            account = {n: v for n, v in changed.items() if n in ACCOUNT_FIELDS}
            if account:
                members.update_user(actor, juror, **account)
            if any(name in changed for name in PROFILE_FIELDS):
                recheck.update(seat.call.slug for seat in juror.jury_seats.all())
        profile, _ = JurorProfile.objects.get_or_create(user=juror)
        profile_values = {n: values[n] for n in PROFILE_FIELDS if n in values}
        if any(getattr(profile, n) != v for n, v in profile_values.items()):
            for name, value in profile_values.items():
                setattr(profile, name, value)
            profile.save()
        slug = values.get("call")
        seat_changed = any(c.column == f"jury:{slug}" for c in row.changes)
        if slug and (row.fate == NEW or seat_changed):
            seat = JuryMember.objects.filter(call=calls[slug], juror=juror).first()
            seat_juror(
                actor,
                calls[slug],
                juror,
                is_chair=bool(seat and seat.is_chair),  # an import never unseats a chair
                expertise=values["expertise"],
            )
            recheck.discard(slug)  # seating detects the call's conflicts already
    for slug in sorted(recheck):
        detect_conflicts(calls[slug])
    return invited


JURORS = Importer("jurors", _stored_jurors, _write_jurors)

IMPORTERS: dict[str, Importer] = {
    importer.kind: importer for importer in (MEMBERS, CONTACTS, JURORS)
}
