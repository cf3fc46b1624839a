"""Writes on judging rounds and their rubrics, each in one transaction."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from jury.models import JuryMember, Round
from jury.selectors import eligible_entries
from submissions import audit
from submissions.deadlines import format_in_call_timezone
from submissions.errors import DomainError
from submissions.models import Call, Submission, User

from .models import Criterion, Score, ScoreChange
from .rules import ensure_rubric_editable, ensure_secretariat
from .validation import number, validate_rubric

RUBRIC_FIELDS = Criterion.RUBRIC_FIELDS


def _check_jurors(call: Call, jurors: list[User]) -> None:
    seated = set(
        JuryMember.objects.filter(call=call, juror__in=jurors).values_list("juror_id", flat=True)
    )
    strangers = [j.username for j in jurors if j.pk not in seated]
    if strangers:
        raise DomainError(
            f"Not on the jury of this call: {', '.join(strangers)}. Seat them first.",
            fields={"jurors": [f"Not on the jury: {', '.join(strangers)}."]},
        )


def _check_entries(call: Call, number_: int, entries: list[Submission]) -> None:
    if number_ == 1 and entries:
        raise DomainError(
            "Round 1 judges every eligible entry of the call; leave its entries out.",
            fields={"entries": ["Round 1 takes every eligible entry."]},
        )
    judged = set(eligible_entries(call).filter(pk__in=[e.pk for e in entries]).values_list("pk"))
    outside = [str(e.pk) for e in entries if (e.pk,) not in judged]
    if outside:
        raise DomainError(
            f"Entries {', '.join(outside)} are not eligible entries of this call.",
            fields={"entries": [f"Not eligible entries of this call: {', '.join(outside)}."]},
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
            f"The jury deadline must come after round {earlier.number}'s ({when}).",
            fields={"jury_deadline": [f"After {when}."]},
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
    ensure_secretariat(actor, "create a judging round")
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
    ensure_secretariat(actor, "change a judging round")
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


def _plain_level(level: dict) -> dict:
    """A level descriptor as JSON can hold it (numbers, not Decimals)."""
    plain = {**level}
    for bound in ("min", "max"):
        value = Decimal(str(level[bound]))
        plain[bound] = int(value) if value == value.to_integral_value() else float(value)
    return plain


@transaction.atomic
def replace_rubric(actor: User, round_: Round, criteria: list[dict]) -> list[Criterion]:
    """Replace the whole list of criteria of a round.

    A criterion keeps its row (and the draft scores on it) when its key stays; a removed
    criterion takes its draft scores with it, each removal written to the sheet's audit trail.
    """
    ensure_secretariat(actor, "change a rubric")
    # The round's row lock orders this against the first submission (which locks the rubric).
    round_ = Round.objects.select_for_update().select_related("call").get(pk=round_.pk)
    ensure_rubric_editable(round_)
    errors = validate_rubric(criteria)
    if errors:
        first = next(iter(errors.items()))
        raise DomainError(
            f"The rubric needs attention: {first[0]}: {first[1][0]}",
            code="invalid_rubric",
            fields=errors,
        )
    existing = {c.key: c for c in Criterion.objects.filter(round=round_)}
    wanted = {c["key"] for c in criteria}
    removed = [c for key, c in existing.items() if key not in wanted]
    if removed:
        dropped = Score.objects.filter(criterion__in=removed).select_related("criterion")
        ScoreChange.objects.bulk_create(
            ScoreChange(
                sheet_id=score.sheet_id,
                actor=actor,
                field=score.criterion.key,
                old_value=None if score.value is None else number(score.value),
                new_value=None,
                reason="The criterion was removed from the rubric.",
            )
            for score in dropped
        )
        dropped.delete()
        Criterion.objects.filter(pk__in=[c.pk for c in removed]).delete()
    kept, created = [], []
    for order, data in enumerate(criteria):
        criterion = existing.get(data["key"]) or Criterion(round=round_, key=data["key"])
        for name in RUBRIC_FIELDS:
            setattr(criterion, name, data.get(name, getattr(criterion, name)))
        criterion.levels = [_plain_level(level) for level in criterion.levels or []]
        criterion.order = order
        (kept if criterion.pk else created).append(criterion)
    if kept:
        Criterion.objects.bulk_update(kept, [*RUBRIC_FIELDS, "order"])
    Criterion.objects.bulk_create(created)
    audit.record(
        actor,
        "rubric.replaced",
        round_,
        call=round_.call,
        criteria=[c["key"] for c in criteria],
        removed=[c.key for c in removed],
    )
    return list(Criterion.objects.filter(round=round_).order_by("order", "id"))
