"""Writes for juries: seats, conflicts of interest and assignments, each in a transaction."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from submissions import audit, notifications
from submissions.errors import REQUIRED, DomainError, NotAllowed, NotFound, text
from submissions.errors import Conflict as ConflictError
from submissions.models import Call, Role, Submission, User
from submissions.rules import UNSENT_STATUSES

from . import seats, work
from .assignment import AssignmentPlan, AssignmentProblem, InfeasibleAssignment, solve_assignment
from .conflicts import RULE_REASONS, Party, conflict_rule
from .models import Assignment, Conflict, JurorProfile, JuryMember, Round
from .rules import active_conflicts, conflicted_submission_ids, ensure_manages_jury
from .selectors import (
    manageable_entries,
    round_entries,
    round_juror_ids,
)

# --- jury seats ---------------------------------------------------------------------------------


@transaction.atomic
def seat_juror(
    actor: User,
    call: Call,
    juror: User,
    *,
    is_chair: bool = False,
    expertise: list[str] | None = None,
    affiliation: str | None = None,
    city: str | None = None,
    country: str | None = None,
) -> JuryMember:
    if not actor.is_secretariat:
        raise NotAllowed(_("Only the secretariat composes a jury."))
    if juror.role != Role.JUROR:
        raise DomainError(
            _("%(username)s does not have the juror role."),
            fields={"juror": [_("Not a juror.")]},
            username=juror.username,
        )
    expertise = expertise or []
    unknown = [t for t in expertise if t not in call.themes]
    if unknown:
        raise DomainError(
            _("Expertise must be among the call's themes: %(themes)s."),
            fields={"expertise": [text(_("Unknown: %(themes)s"), themes=", ".join(unknown))]},
            themes=", ".join(call.themes),
        )
    profile, _created = JurorProfile.objects.get_or_create(user=juror)
    for name, value in (("affiliation", affiliation), ("city", city), ("country", country)):
        if value is not None:
            setattr(profile, name, value)
    profile.save()
    member, _created = JuryMember.objects.update_or_create(
        call=call, juror=juror, defaults={"is_chair": is_chair, "expertise": expertise}
    )
    audit.record(actor, "jury.seated", member, call=call, juror=juror.pk, is_chair=is_chair)
    if is_chair:
        seats.set_chair(actor, call, juror)  # a jury has one chair: the one seated last
        member.refresh_from_db()
    detect_conflicts(call)
    return member


# --- conflicts ----------------------------------------------------------------------------------


def _juror_party(juror: User) -> Party:
    profile = getattr(juror, "juror_profile", None)
    return Party(
        organization_id=juror.organization_id,
        city=profile.city if profile else "",
        country=profile.country if profile else "",
    )


def detect_conflicts(call: Call, submissions=None) -> list[Conflict]:
    """Record every automatic conflict between the call's jury and its entries.

    A pair already recorded (even dismissed) is left as it is: a dismissal stands."""
    members = JuryMember.objects.filter(call=call).select_related(
        "juror__juror_profile", "juror__organization"
    )
    if submissions is None:
        submissions = Submission.objects.filter(call=call).exclude(status__in=UNSENT_STATUSES)
    submissions = list(submissions.select_related("organization"))
    known = set(Conflict.objects.filter(call=call).values_list("submission_id", "juror_id"))
    created = []
    for member in members:
        juror = _juror_party(member.juror)
        for submission in submissions:
            if (submission.pk, member.juror_id) in known:
                continue
            organization = submission.organization
            rule = conflict_rule(
                juror,
                Party(organization.pk, organization.city, organization.country),
                same_country=call.conflict_same_country,
            )
            if rule:
                created.append(
                    Conflict(
                        call=call,
                        submission=submission,
                        juror=member.juror,
                        source=Conflict.Source.AUTOMATIC,
                        rule=rule,
                        reason=RULE_REASONS[rule],
                    )
                )
    if created:
        Conflict.objects.bulk_create(created, ignore_conflicts=True)
        for conflict in created:
            _recuse(conflict.juror, conflict.submission)
    return created


def _recuse(juror: User, submission: Submission) -> int:
    """Take the entry away from the juror. Assignments without work go, with their empty
    sheets; one whose draft holds work is declined instead, so that its audit trail stays; a
    submitted sheet stays as it is (the conflict leaves it out of every ranking)."""
    assignments = Assignment.objects.filter(juror=juror, submission=submission)
    with_work = work.scored(assignments)
    declined = (
        with_work.exclude(pk__in=work.submitted(assignments))
        .filter(declined_at__isnull=True)
        .update(declined_at=timezone.now(), decline_reason=RECUSED)
    )
    without_work = assignments.exclude(pk__in=with_work)
    work.discard(without_work)
    removed, _counts = without_work.delete()
    return removed + declined


RECUSED = "Conflict of interest."


@transaction.atomic
def declare_conflict(
    actor: User, submission: Submission, reason: str, juror: User | None = None
) -> Conflict:
    juror = juror or actor
    if juror != actor and not actor.is_secretariat:
        raise NotAllowed(_("Only the secretariat declares a conflict on a juror's behalf."))
    if not juror.is_juror:
        raise NotAllowed(_("Only jurors declare conflicts of interest; name the juror concerned."))
    if not reason.strip():
        raise DomainError(
            _("Say briefly why you have a conflict of interest."), fields={"reason": [REQUIRED]}
        )
    conflict, created = Conflict.objects.get_or_create(
        submission=submission,
        juror=juror,
        defaults={
            "call": submission.call,
            "source": Conflict.Source.DECLARED,
            "rule": Conflict.Rule.DECLARED,
            "reason": reason,
        },
    )
    if not created:
        conflict.source, conflict.rule, conflict.reason = (
            Conflict.Source.DECLARED,
            Conflict.Rule.DECLARED,
            reason,
        )
        conflict.dismissed_at, conflict.dismissed_by, conflict.dismissal_reason = None, None, ""
        conflict.save()
    removed = _recuse(juror, submission)
    audit.record(
        actor,
        "conflict.declared",
        conflict,
        call=submission.call,
        juror=juror.pk,
        submission=submission.pk,
        reason=reason,
        assignments_removed=removed,
    )
    return conflict


@transaction.atomic
def dismiss_conflict(actor: User, conflict: Conflict, reason: str) -> Conflict:
    if not actor.is_secretariat:
        raise NotAllowed(_("Only the secretariat can dismiss a conflict of interest."))
    if not reason.strip():
        raise DomainError(
            _("Give the reason the conflict is dismissed."), fields={"reason": [REQUIRED]}
        )
    if conflict.dismissed_at:
        raise ConflictError(_("This conflict was already dismissed."), code="already_dismissed")
    conflict.dismissed_at = timezone.now()
    conflict.dismissed_by = actor
    conflict.dismissal_reason = reason
    conflict.save()
    audit.record(
        actor,
        "conflict.dismissed",
        conflict,
        call=conflict.call,
        juror=conflict.juror_id,
        submission=conflict.submission_id,
        reason=reason,
    )
    return conflict


# --- assignments --------------------------------------------------------------------------------


def _notify_assigned(juror: User, round_: Round, count: int) -> None:
    call = round_.call
    notifications.send(
        "jury.assigned",
        juror.email,
        lambda: _("New entries to score: %(call)s") % {"call": call.title},
        lambda: (
            ngettext(
                "Hello %(name)s,\n\n%(count)s entry was assigned to you in %(round)s of "
                "%(call)s. Scores are due by %(deadline)s.\n%(link)s\n",
                "Hello %(name)s,\n\n%(count)s entries were assigned to you in %(round)s of "
                "%(call)s. Scores are due by %(deadline)s.\n%(link)s\n",
                count,
            )
            % {
                "name": juror.display_name,
                "count": count,
                "round": round_.name,
                "call": call.title,
                "deadline": formats.date_format(
                    timezone.localtime(round_.jury_deadline, call.tzinfo), "j F Y"
                ),
                "link": notifications.absolute_url("/juror/"),
            }
        ),
        user=juror,
    )


@transaction.atomic
def assign(actor: User, round_: Round, submission: Submission, juror: User) -> Assignment:
    call = round_.call
    ensure_manages_jury(actor, call)
    if juror.pk not in round_juror_ids(round_):
        raise DomainError(
            _("%(username)s does not sit on the jury of this round."),
            fields={"juror": [_("Not on this round's jury.")]},
            username=juror.username,
        )
    # An entry the actor is conflicted with answers as one not in the round: the answer must
    # not tell a conflicted chair who reviews it.
    if not manageable_entries(round_, actor).filter(pk=submission.pk).exists():
        raise DomainError(
            _("This entry is not judged in this round (it must be eligible)."),
            fields={"submission": [_("Not in this round.")]},
        )
    detect_conflicts(call, Submission.objects.filter(pk=submission.pk))
    if active_conflicts().filter(submission=submission, juror=juror).exists():
        raise ConflictError(
            _(
                "%(juror)s has a conflict of interest with entry %(entry)s and cannot be assigned "
                "to it."
            ),
            code="conflicted",
            juror=juror.username,
            entry=submission.pk,
        )
    assignment, created = Assignment.objects.get_or_create(
        round=round_,
        submission=submission,
        juror=juror,
        defaults={"created_by": actor, "source": Assignment.Source.MANUAL},
    )
    if not created:
        if assignment.declined_at is None:
            raise ConflictError(
                _("This juror is already assigned to this entry."), code="already_assigned"
            )
        assignment.declined_at, assignment.decline_reason = None, ""
        assignment.save(update_fields=["declined_at", "decline_reason"])
    audit.record(
        actor, "assignment.created", assignment, call=call, juror=juror.pk, submission=submission.pk
    )
    _notify_assigned(juror, round_, 1)
    return assignment


@transaction.atomic
def unassign(actor: User, assignment: Assignment) -> None:
    """Remove an assignment the juror has not scored (jury.work.scored: a submitted sheet, or a
    draft holding work and its audit trail, stays)."""
    ensure_manages_jury(actor, assignment.round.call)
    if conflicted_submission_ids(actor).filter(submission_id=assignment.submission_id).exists():
        raise NotFound(_("No such assignment."))  # a conflicted chair does not see it at all
    this = Assignment.objects.filter(pk=assignment.pk)
    if work.scored(this).exists():
        raise ConflictError(
            _("This juror has already scored the entry; the assignment stays."), code="has_scores"
        )
    work.discard(this)
    audit.record(
        actor,
        "assignment.deleted",
        assignment,
        call=assignment.round.call,
        juror=assignment.juror_id,
        submission=assignment.submission_id,
    )
    assignment.delete()


@transaction.atomic
def decline(juror: User, assignment: Assignment, reason: str) -> Assignment:
    """The juror gives an entry back. Submitted scores stand (the chair reopens them first); a
    draft the juror has scored stays with its audit trail (jury.work.scored, the rule unassign
    follows too), an untouched one goes."""
    if assignment.juror_id != juror.pk:
        raise NotAllowed(_("You can only decline your own assignments."))
    if not reason.strip():
        raise DomainError(_("Say briefly why you decline."), fields={"reason": [REQUIRED]})
    this = Assignment.objects.filter(pk=assignment.pk)
    if work.submitted(this).exists():
        raise ConflictError(
            _("You already submitted your scores for this entry."), code="already_submitted"
        )
    work.discard(this)
    assignment.declined_at = timezone.now()
    assignment.decline_reason = reason
    assignment.save(update_fields=["declined_at", "decline_reason"])
    audit.record(
        juror, "assignment.declined", assignment, call=assignment.round.call, reason=reason
    )
    return assignment


@dataclass(frozen=True)
class AutoAssignment:
    plan: AssignmentPlan
    applied: bool
    problem: AssignmentProblem


def build_problem(
    round_: Round, reviewers_per_submission: int, max_per_juror: int, actor: User | None = None
) -> AssignmentProblem:
    """The assignment problem of a round as the actor may solve it: without the entries the
    actor is conflicted with (a conflicted chair leaves those to the secretariat)."""
    call = round_.call
    detect_conflicts(call)
    juror_ids = round_juror_ids(round_)
    entries_in_reach = manageable_entries(round_, actor) if actor else round_entries(round_)
    entries = list(entries_in_reach.values_list("pk", "theme"))
    entry_ids = [pk for pk, _ in entries]
    conflicts = set(
        active_conflicts()
        .filter(call=call, juror_id__in=juror_ids)
        .values_list("submission_id", "juror_id")
    )
    active = Assignment.objects.filter(round=round_, submission_id__in=entry_ids)
    declined = set(
        active.filter(declined_at__isnull=False).values_list("submission_id", "juror_id")
    )
    existing = (
        set(
            active.filter(declined_at__isnull=True, juror_id__in=juror_ids).values_list(
                "submission_id", "juror_id"
            )
        )
        - conflicts
    )
    expertise = dict(
        JuryMember.objects.filter(call=call, juror_id__in=juror_ids).values_list(
            "juror_id", "expertise"
        )
    )
    preference = {
        (pk, juror): 1.0
        for pk, theme in entries
        if theme
        for juror in juror_ids
        if theme in (expertise.get(juror) or [])
    }
    return AssignmentProblem(
        submissions=sorted(entry_ids),
        jurors=sorted(juror_ids),
        reviewers_per_submission=reviewers_per_submission,
        max_per_juror=max_per_juror,
        conflicts=frozenset(conflicts | declined),
        existing=frozenset(existing),
        preference=preference,
    )


def auto_assign(
    actor: User,
    round_: Round,
    *,
    reviewers_per_submission: int,
    max_per_juror: int,
    dry_run: bool = True,
) -> AutoAssignment:
    ensure_manages_jury(actor, round_.call)
    if reviewers_per_submission < 1 or max_per_juror < 1:
        raise DomainError(_("Ask for at least one juror per entry and one entry per juror."))
    with transaction.atomic():
        problem = build_problem(round_, reviewers_per_submission, max_per_juror, actor)
        if not problem.submissions:
            raise DomainError(
                _("This round has no eligible entries to assign yet."), code="nothing_to_assign"
            )
        try:
            plan = solve_assignment(problem)
        except InfeasibleAssignment as error:
            # The solver is pure and words its reasons in English (a Notice, with its code).
            raise DomainError(error.notice.message, code="no_plan") from error
        if dry_run:
            return AutoAssignment(plan, False, problem)
        _create_planned(actor, round_, plan.new_pairs)
        audit.record(
            actor,
            "assignment.auto_applied",
            round_,
            call=round_.call,
            reviewers_per_submission=reviewers_per_submission,
            max_per_juror=max_per_juror,
            new_pairs=len(plan.new_pairs),
            objective=plan.objective,
            loads={str(k): v for k, v in plan.loads.items()},
        )
    return AutoAssignment(plan, True, problem)


@transaction.atomic
def add_readers(
    actor: User, round_: Round, pairs: list[tuple[int, int]], *, action: str, **details
) -> list[Assignment]:
    """New assignments (entry, juror) chosen by a plan the caller solved for this round (a
    top-up of extra reviews): created together, audited once on the round, each juror told
    through the outbox. The one running the jury only."""
    ensure_manages_jury(actor, round_.call)
    created = _create_planned(actor, round_, pairs)
    audit.record(
        actor, action, round_, call=round_.call, new_pairs=[list(p) for p in pairs], **details
    )
    return created


def _create_planned(actor: User, round_: Round, pairs) -> list[Assignment]:
    """The (entry, juror) pairs of a solved plan as assignments, each juror told once through
    the outbox of how many entries they were given. Inside the caller's transaction."""
    created = Assignment.objects.bulk_create(
        [
            Assignment(
                round=round_,
                submission_id=s,
                juror_id=j,
                created_by=actor,
                source=Assignment.Source.AUTOMATIC,
            )
            for s, j in pairs
        ]
    )
    per_juror: dict[int, int] = {}
    for _entry, juror in pairs:
        per_juror[juror] = per_juror.get(juror, 0) + 1
    for juror in User.objects.filter(pk__in=per_juror):
        _notify_assigned(juror, round_, per_juror[juror.pk])
    return created
