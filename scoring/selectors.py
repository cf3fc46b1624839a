"""Reads for scoring and results: the rounds as a reader may list them, rubrics, score sheets,
the jury's progress, and what the Board may read."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from jury.models import Assignment, Round
from jury.rules import (
    chaired_call_ids,
    chaired_calls,
    conflicted_submission_ids,
    juror_conflicted_with_entry,
    own_assignments,
)
from jury.selectors import juror_assignments, round_assignments, round_juror_ids, round_of
from submissions.models import Submission, User
from submissions.rules import VERDICT_STATUSES

from .models import Criterion, Decision, Score, ScoreChange, ScoreSheet
from .rules import released, scored


def submissions_for_board(user: User) -> QuerySet[Submission]:
    """The Board sees the entries with a verdict in rounds whose results were released."""
    # Round 1 holds every eligible entry of its call without listing them in Round.entries.
    first_round_released = Q(call__rounds__number=1) & released("call__rounds__")
    return Submission.objects.filter(
        released("rounds__") | first_round_released, status__in=VERDICT_STATUSES
    ).distinct()


def rounds_for_board(user: User) -> QuerySet[Round]:
    """Rounds whose results the Board reads; the secretariat also sees those not released yet
    (with submitted sheets), to check what the Board will see."""
    shown = released()
    if user.is_secretariat:
        shown |= Q(assignments__sheet__status=ScoreSheet.Status.SUBMITTED)
    return (
        Round.objects.filter(shown)
        .select_related("call")
        .distinct()
        .order_by("-call__deadline", "-number")
    )


def board_round(call, number=None) -> Round:
    """The round asked for, else the latest one released to the Board, else the latest."""
    if number:
        return round_of(call, number)
    return call.rounds.filter(released()).order_by("-number").first() or round_of(call)


def shortlist_progress(call_ids) -> dict[int, dict[str, int]]:
    """For each call, how many entries are on its shortlist (or decided) and how many the Board
    has decided: two queries, whatever the number of calls."""
    progress = {pk: {"decided": 0, "total": 0} for pk in call_ids}
    shortlisted = (
        Submission.objects.filter(call_id__in=list(progress), status__in=VERDICT_STATUSES)
        .values("call_id")
        .annotate(n=Count("pk"))
    )
    for row in shortlisted:
        progress[row["call_id"]]["total"] = row["n"]
    decided = (
        Decision.objects.filter(call_id__in=list(progress), submission__status__in=VERDICT_STATUSES)
        .values("call_id")
        .annotate(n=Count("pk"))
    )
    for row in decided:
        progress[row["call_id"]]["decided"] = row["n"]
    return progress


def latest_round_with_results(call) -> Round | None:
    """The call's latest round with a submitted score sheet: the one a report is worth making
    of (a next round opened by the shortlist has none until its jury works)."""
    return (
        call.rounds.filter(assignments__sheet__status=ScoreSheet.Status.SUBMITTED)
        .order_by("-number")
        .first()
    )


# --- rounds and rubrics -------------------------------------------------------------------------


def rubric(round_) -> list[dict]:
    """A round's criteria as plain dicts, in order: what validation and the API work on."""
    return list(
        Criterion.objects.filter(round=round_)
        .order_by("order", "id")
        .values("id", "key", *Criterion.RUBRIC_FIELDS, "order")
    )


def rounds_of(call) -> QuerySet:
    """A call's rounds with what their listing shows, in a constant number of queries."""
    return (
        call.rounds.all()
        .select_related("call")
        .annotate(criteria_count=Count("criteria", distinct=True))
        .prefetch_related(
            Prefetch("jurors", queryset=User.objects.only("pk")),
            Prefetch("entries", queryset=Submission.objects.only("pk")),
        )
        .order_by("number")
    )


def rounds_visible_to(user: User, call) -> list:
    """A call's rounds as a reader may list them, each with ``shown_entries``: the entry ids of
    a later round the reader may know of (round 1 takes every eligible entry: None).

    The secretariat sees everything; the chair every round, without the entries they are
    conflicted with; a juror only the rounds they sit on and, in each, only the entries
    assigned to them: a later round's list is the shortlist, which jurors learn only when
    they judge it. A constant number of queries."""
    rounds = list(rounds_of(call))
    for round_ in rounds:
        round_.shown_entries = sorted(entry.pk for entry in round_.entries.all())
    if user.is_secretariat:
        return rounds
    conflicted = set(conflicted_submission_ids(user).values_list("submission_id", flat=True))
    if call.pk in chaired_calls(user):
        for round_ in rounds:
            round_.shown_entries = [pk for pk in round_.shown_entries if pk not in conflicted]
        return rounds
    assigned = set(
        Assignment.objects.filter(own_assignments(user), round__call=call).values_list(
            "round_id", "submission_id"
        )
    )
    mine = []
    for round_ in rounds:
        jury = {juror.pk for juror in round_.jurors.all()}
        if jury and user.pk not in jury:
            continue
        round_.shown_entries = [pk for pk in round_.shown_entries if (round_.pk, pk) in assigned]
        mine.append(round_)
    return mine


def juror_work(user: User) -> QuerySet[Assignment]:
    """The juror's own active assignments (jury.selectors.juror_assignments), each with its
    sheet: what the juror's pages and API list."""
    return juror_assignments(user).select_related("sheet")


def juror_queue(user: User) -> QuerySet[Assignment]:
    """juror_work with ``worked``: whether the sheet holds anything the juror wrote (rules.scored),
    so that a sheet merely opened reads as not started. One query."""
    worked = ScoreSheet.objects.filter(scored(), assignment=OuterRef("pk"))
    return juror_work(user).annotate(worked=Exists(worked)).order_by("id")


def progress(round_, viewer: User) -> list[dict]:
    """Per juror of the round: assigned, started and completed sheets, not counting any entry
    the viewer is conflicted with."""
    rows = (
        round_assignments(round_, viewer)
        .filter(declined_at__isnull=True)
        .values("juror_id", "juror__username", "juror__first_name", "juror__last_name")
        .annotate(
            assigned=Count("id"),
            started=Count("id", filter=Q(sheet__isnull=False)),
            completed=Count("id", filter=Q(sheet__status=ScoreSheet.Status.SUBMITTED)),
        )
    )
    by_juror = {row["juror_id"]: row for row in rows}
    jurors = User.objects.filter(pk__in=round_juror_ids(round_)).order_by("username")
    return [
        {
            "juror": juror.pk,
            "username": juror.username,
            "name": juror.get_full_name(),
            "assigned": by_juror.get(juror.pk, {}).get("assigned", 0),
            "started": by_juror.get(juror.pk, {}).get("started", 0),
            "completed": by_juror.get(juror.pk, {}).get("completed", 0),
        }
        for juror in jurors
    ]


# --- score sheets -------------------------------------------------------------------------------


def sheets_with_scores() -> QuerySet:
    """Sheets with everything their representation needs, in two queries whatever the count."""
    scores = Score.objects.select_related("criterion").order_by("criterion__order", "criterion_id")
    return ScoreSheet.objects.select_related(
        "assignment__round__call", "assignment__juror"
    ).prefetch_related(Prefetch("scores", queryset=scores))


def sheets_visible_to(user: User) -> QuerySet:
    """Score sheets a user may read: a juror their own, a chair every sheet of the calls they
    chair, the secretariat every sheet; never one on an entry the user is conflicted with."""
    sheets = sheets_with_scores()
    if not user.is_authenticated or not user.is_active:
        return sheets.none()
    if not user.is_secretariat:
        if not user.is_juror:
            return sheets.none()
        chaired = Q(assignment__round__call_id__in=chaired_call_ids(user))
        sheets = sheets.filter(own_assignments(user, "assignment__") | chaired)
    return sheets.exclude(assignment__submission_id__in=conflicted_submission_ids(user))


def peer_sheets(sheet) -> QuerySet:
    """The other jurors' submitted sheets on the same entry in the same round."""
    return (
        sheets_with_scores()
        .filter(
            assignment__round_id=sheet.assignment.round_id,
            assignment__submission_id=sheet.assignment.submission_id,
            status=ScoreSheet.Status.SUBMITTED,
        )
        .exclude(pk=sheet.pk)
        .order_by("assignment__juror__username")
    )


def sheet_history(sheet) -> QuerySet:
    """The audit trail of one sheet, oldest first."""
    changes = ScoreChange.objects.filter(sheet=sheet).select_related("actor")
    return changes.order_by("created_at", "id")


def released_sheets_of(entry):
    """The submitted sheets of an entry on rounds released to the Board, without any juror
    found in conflict with it since: the same sheets the ranking counts."""
    return (
        sheets_with_scores()
        .filter(
            released("assignment__round__"),
            assignment__submission=entry,
            status=ScoreSheet.Status.SUBMITTED,
        )
        .exclude(juror_conflicted_with_entry("assignment__"))
        .order_by("assignment__round__number", "assignment__juror__username")
    )
