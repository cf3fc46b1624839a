"""Writes on a call's jury besides seating (jury.services.seat_juror): who chairs it, and
unseating a juror, each in one transaction and audited. Unseating follows the rule unassigning
follows (jury.work.scored): a juror who has scored an entry of the call keeps the seat."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from submissions import audit
from submissions.errors import Conflict, DomainError, NotAllowed
from submissions.models import Call, User

from . import work
from .models import JuryMember, Round
from .selectors import assignments_in_call

ONLY_SECRETARIAT_COMPOSES = _("Only the secretariat composes a jury.")


def _seat_of(call: Call, juror: User) -> JuryMember:
    seat = JuryMember.objects.select_for_update().filter(call=call, juror=juror).first()
    if seat is None:
        raise DomainError(
            _("%(username)s is not on the jury of this call."),
            code="not_seated",
            fields={"juror": [_("Not on the jury.")]},
            username=juror.username,
        )
    return seat


@transaction.atomic
def set_chair(actor: User, call: Call, juror: User | None) -> JuryMember | None:
    """The juror chairs the call's jury, and nobody else does; None: the jury has no chair."""
    if not actor.is_secretariat:
        raise NotAllowed(ONLY_SECRETARIAT_COMPOSES)
    Call.objects.select_for_update().filter(pk=call.pk).first()
    seat = _seat_of(call, juror) if juror is not None else None
    before = list(
        JuryMember.objects.filter(call=call, is_chair=True).values_list("juror_id", flat=True)
    )
    JuryMember.objects.filter(call=call, is_chair=True).exclude(
        pk=seat.pk if seat else None
    ).update(is_chair=False)
    if seat is not None and not seat.is_chair:
        seat.is_chair = True
        seat.save(update_fields=["is_chair"])
    audit.record(
        actor,
        "jury.chair_set",
        seat or call,
        call=call,
        old=before,
        new=juror.pk if juror else None,
    )
    return seat


@transaction.atomic
def unseat_juror(actor: User, call: Call, juror: User) -> None:
    """Take the juror off the call's jury, with their unscored assignments (and the untouched
    sheets on them). Refused while the juror has scored any entry of the call: their sheets and
    audit trail stay, as unassigning an entry refuses it too."""
    if not actor.is_secretariat:
        raise NotAllowed(ONLY_SECRETARIAT_COMPOSES)
    seat = _seat_of(call, juror)
    assignments = assignments_in_call(call, juror)
    scored = work.scored(assignments).count()
    if scored:
        raise Conflict(
            _(
                "%(username)s has already scored on this call (sheets with work: %(count)s) "
                "and stays on its jury; their scores count. Reassign what is left instead."
            ),
            code="has_scores",
            username=juror.username,
            count=scored,
        )
    removed = assignments.count()
    work.discard(assignments)
    assignments.delete()
    for round_ in Round.objects.filter(call=call, jurors=juror):
        round_.jurors.remove(juror)
    audit.record(
        actor,
        "jury.unseated",
        seat,
        call=call,
        juror=juror.pk,
        was_chair=seat.is_chair,
        assignments_removed=removed,
    )
    seat.delete()
