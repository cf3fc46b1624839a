"""The shortlist and the Board's decisions."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jury import rounds
from jury.models import Round
from jury.selectors import round_entries
from submissions import audit
from submissions.errors import REQUIRED, DomainError
from submissions.errors import Conflict as ConflictError
from submissions.models import Call, Submission, User
from submissions.rules import VERDICT_STATUSES, ensure_secretariat, is_announced

from . import cut, rules
from .models import Decision
from .results import standings_for

POSITIVE = {Decision.Outcome.AWARDED, Decision.Outcome.SPECIAL_MENTION, Decision.Outcome.SELECTED}


@transaction.atomic
def shortlist(
    actor: User,
    call: Call,
    round_: Round,
    *,
    method: str | None = None,
    top_n: int | None = None,
    submission_ids: list[int] | None = None,
    open_next_round: bool = False,
    jury_deadline: datetime | None = None,
    juror_ids: list[int] | None = None,
) -> tuple[list[Submission], Round | None]:
    """Mark entries shortlisted, by rank (top_n under a method) or by hand; optionally open
    the next round over them."""
    ensure_secretariat(actor, _("Only the secretariat draws up the shortlist."))
    if bool(top_n) == bool(submission_ids):
        raise DomainError(
            _("Give either top_n (with a method) or a list of submissions."),
            fields={"top_n": [_("Either top_n or submissions.")]},
        )
    entries = round_entries(round_)
    if top_n:
        ranking = standings_for(actor, call, round_, method).ranking
        if ranking.empty:
            raise DomainError(_("No submitted scores yet: nothing to rank."), code="no_scores")
        chosen_ids = [int(i) for i in cut.shortlist(ranking["rank"], top_n)]
    else:
        chosen_ids = list(dict.fromkeys(submission_ids))
        unknown = set(chosen_ids) - set(
            entries.filter(pk__in=chosen_ids).values_list("pk", flat=True)
        )
        if unknown:
            raise DomainError(
                _("Not entries of this round: %(ids)s."),
                fields={"submissions": [_("Unknown entries.")]},
                ids=", ".join(map(str, sorted(unknown))),
            )
    chosen = list(Submission.objects.select_for_update().filter(pk__in=chosen_ids))
    for entry in chosen:
        if entry.status == Submission.Status.ELIGIBLE:
            entry.status = Submission.Status.SHORTLISTED
            entry.save(update_fields=["status", "updated_at"])
    next_round = None
    if open_next_round:
        if jury_deadline is None:
            raise DomainError(
                _("Give the jury deadline of the next round."),
                fields={"jury_deadline": [_("Required to open the next round.")]},
            )
        next_round = rounds.open_next_round(
            actor,
            round_,
            entries=chosen,
            jury_deadline=jury_deadline,
            jurors=list(User.objects.filter(pk__in=juror_ids)) if juror_ids else None,
        )
    audit.record(
        actor,
        "results.shortlisted",
        round_,
        call=call,
        method=method,
        top_n=top_n,
        submissions=sorted(e.pk for e in chosen),
        next_round=next_round.number if next_round else None,
    )
    return sorted(chosen, key=lambda e: chosen_ids.index(e.pk)), next_round


@transaction.atomic
def record_decision(
    actor: User, call: Call, submission: Submission, outcome: str, rationale: str
) -> Decision:
    rules.ensure_may_decide(actor, call)
    if outcome not in Decision.Outcome.values:
        raise DomainError(
            _("decision must be one of: %(outcomes)s."),
            fields={"decision": [_("Unknown decision.")]},
            outcomes=", ".join(Decision.Outcome.values),
        )
    if not rationale.strip():
        raise DomainError(
            _("Give the rationale of the decision."), fields={"rationale": [REQUIRED]}
        )
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.call_id != call.pk:
        raise DomainError(_("This entry belongs to another call."))
    if submission.status not in VERDICT_STATUSES:
        raise ConflictError(
            _("Only shortlisted entries are decided by the Board."), code="not_shortlisted"
        )
    if is_announced(call):
        raise ConflictError(
            _("The decisions were announced; they can no longer be changed."), code="announced"
        )
    previous = Decision.objects.filter(submission=submission).first()
    decision, _created = Decision.objects.update_or_create(
        submission=submission,
        defaults={"call": call, "outcome": outcome, "rationale": rationale, "decided_by": actor},
    )
    submission.status = (
        Submission.Status.AWARDED if outcome in POSITIVE else Submission.Status.NOT_SELECTED
    )
    submission.save(update_fields=["status", "updated_at"])
    audit.record(
        actor,
        "decision.recorded",
        decision,
        call=call,
        submission=submission.pk,
        old=previous.outcome if previous else None,
        new=outcome,
        rationale=rationale,
    )
    return decision


def decisions_visible_to(user: User, call: Call):
    """Staff and the Board see every decision; a city sees its own after the announcement."""
    decisions = Decision.objects.filter(call=call).select_related(
        "submission__organization", "submission__call"
    )
    if user.is_secretariat or user.is_board:
        return decisions
    if user.is_city_contact and is_announced(call):
        return decisions.filter(submission__organization_id=user.organization_id)
    return decisions.none()
