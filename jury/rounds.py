"""Writes on judging rounds, each in one transaction: create the call's next round, change one,
and open the round after a shortlist (scoring.decisions.shortlist) with the same checks and the
same audit event as any round."""

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from submissions import audit
from submissions.dates import format_in_call_timezone
from submissions.errors import Conflict, DomainError, text
from submissions.models import Call, Submission, User
from submissions.rules import ensure_secretariat

from .models import JuryMember, Round
from .selectors import eligible_entries


def _check_jurors(call: Call, jurors: list[User]) -> None:
    seated = set(
        JuryMember.objects.filter(call=call, juror__in=jurors).values_list("juror_id", flat=True)
    )
    strangers = [j.username for j in jurors if j.pk not in seated]
    if strangers:
        names = ", ".join(strangers)
        raise DomainError(
            _("Not on the jury of this call: %(names)s. Seat them first."),
            fields={"jurors": [text(_("Not on the jury: %(names)s."), names=names)]},
            names=names,
        )


def _check_entries(call: Call, number_: int, entries: list[Submission]) -> None:
    if number_ == 1 and entries:
        raise DomainError(
            _("Round 1 judges every eligible entry of the call; leave its entries out."),
            fields={"entries": [_("Round 1 takes every eligible entry.")]},
        )
    judged = set(eligible_entries(call).filter(pk__in=[e.pk for e in entries]).values_list("pk"))
    outside = [str(e.pk) for e in entries if (e.pk,) not in judged]
    if outside:
        ids = ", ".join(outside)
        raise DomainError(
            _("Entries %(ids)s are not eligible entries of this call."),
            fields={"entries": [text(_("Not eligible entries of this call: %(ids)s."), ids=ids)]},
            ids=ids,
        )


def _check_deadline(call: Call, number_: int, jury_deadline: datetime) -> None:
    earlier = (
        Round.objects.filter(call=call, number__lt=number_)
        .order_by("-number")
        .only("jury_deadline")
    ).first()
    if earlier and jury_deadline <= earlier.jury_deadline:
        when = format_in_call_timezone(call, earlier.jury_deadline)
        raise DomainError(
            _("The jury deadline must come after round %(number)s's (%(when)s)."),
            fields={"jury_deadline": [text(_("After %(when)s."), when=when)]},
            number=earlier.number,
            when=when,
        )


@transaction.atomic
def create_round(
    actor: User,
    call: Call,
    *,
    name: str,
    jury_deadline: datetime,
    jurors: list[User] | None = None,
    entries: list[Submission] | None = None,
) -> Round:
    """The call's next round: numbered after the last one."""
    ensure_secretariat(actor, _("Only the secretariat can create a judging round."))
    # Lock the call so that two parallel requests cannot both take the same number.
    Call.objects.select_for_update().filter(pk=call.pk).first()
    number_ = (Round.objects.filter(call=call).aggregate(top=Max("number"))["top"] or 0) + 1
    jurors, entries = jurors or [], entries or []
    _check_deadline(call, number_, jury_deadline)
    _check_jurors(call, jurors)
    _check_entries(call, number_, entries)
    round_ = Round.objects.create(
        call=call,
        number=number_,
        name=name.strip() or f"Round {number_}",
        jury_deadline=jury_deadline,
    )
    round_.jurors.set(jurors)
    round_.entries.set(entries)
    audit.record(
        actor,
        "round.created",
        round_,
        call=call,
        number=number_,
        jurors=[j.pk for j in jurors],
        entries=[e.pk for e in entries],
    )
    return round_


@transaction.atomic
def update_round(actor: User, round_: Round, **fields) -> Round:
    """Rename a round, move its jury deadline, or change its jury subset or entries."""
    ensure_secretariat(actor, _("Only the secretariat can change a judging round."))
    round_ = Round.objects.select_for_update().select_related("call").get(pk=round_.pk)
    call = round_.call
    if "jury_deadline" in fields:
        _check_deadline(call, round_.number, fields["jury_deadline"])
        round_.jury_deadline = fields["jury_deadline"]
    if fields.get("name", "").strip():
        round_.name = fields["name"].strip()
    round_.save(update_fields=["name", "jury_deadline"])
    if "jurors" in fields:
        _check_jurors(call, fields["jurors"])
        round_.jurors.set(fields["jurors"])
    if "entries" in fields:
        _check_entries(call, round_.number, fields["entries"])
        round_.entries.set(fields["entries"])
    changes = {
        key: [v.pk for v in value] if isinstance(value, list) else str(value)
        for key, value in fields.items()
    }
    audit.record(actor, "round.updated", round_, call=call, **changes)
    return round_


@transaction.atomic
def open_next_round(
    actor: User,
    round_: Round,
    *,
    entries: list[Submission],
    jury_deadline: datetime,
    jurors: list[User] | None = None,
) -> Round:
    """The round after `round_`, over these entries: created like any round (create_round), or,
    when it exists and no one is assigned in it yet, changed like any round (update_round)."""
    following = Round.objects.filter(call=round_.call, number=round_.number + 1).first()
    if following is None:
        return create_round(
            actor,
            round_.call,
            name="",
            jury_deadline=jury_deadline,
            jurors=jurors or [],
            entries=entries,
        )
    if following.assignments.exists():
        raise Conflict(
            _("The next round has already started; its entries stay as they are."),
            code="round_started",
        )
    changes = {"jury_deadline": jury_deadline, "entries": entries}
    if jurors:
        changes["jurors"] = jurors
    return update_round(actor, following, **changes)
