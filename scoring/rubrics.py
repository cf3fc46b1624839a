"""Writes on a round's rubric, in one transaction (the rounds themselves: jury/rounds.py)."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jury.models import Round
from submissions import audit
from submissions.errors import DomainError, translatable
from submissions.models import User
from submissions.rules import ensure_secretariat

from .models import Criterion, Score, ScoreChange
from .rules import ensure_rubric_editable
from .validation import number, validate_rubric

RUBRIC_FIELDS = Criterion.RUBRIC_FIELDS


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
    ensure_secretariat(actor, _("Only the secretariat can change a rubric."))
    # The round's row lock orders this against the first submission (which locks the rubric).
    round_ = Round.objects.select_for_update().select_related("call").get(pk=round_.pk)
    ensure_rubric_editable(round_)
    errors = validate_rubric(criteria)
    if errors:
        key, problems = next(iter(errors.items()))
        raise DomainError(
            _("The rubric needs attention: %(key)s: %(problem)s"),
            code="invalid_rubric",
            fields=translatable(errors),
            key=key,
            problem=translatable(problems[0]),
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
