"""Demo judging: the 2014 Award's first round scored, shortlisted and released to the Board; the
Initiatives 2015 jury at work, a few drafts begun.

Round 1 has six weighted criteria on a 1-10 scale in half points; every eligible entry is read
by three of the eight jurors and every sheet is submitted. The scores are believable rather
than random: each entry has a latent quality, each juror a severity (juror2 and juror6 mark
hard, juror4 and juror7 generously) and every mark some noise, snapped to the scale. Seeded
from names, so every run gives the same sheets. The eight best entries by the calibrated
ranking are shortlisted and the round released: the Board has a shortlist to decide. Round 2,
the final, has a shorter rubric, a jury of five and no entries yet: the secretariat may open it
over the shortlist. Safe to run again.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from jury.models import Assignment, Round
from jury.services import auto_assign
from submissions.demo.seed import MADRID
from submissions.models import User
from submissions.rules import VERDICT_STATUSES

from .decisions import shortlist
from .models import Criterion, Score, ScoreChange, ScoreSheet
from .results import release
from .rules import is_released
from .sheets import open_sheet, save_draft
from .validation import number

LEVELS_1_10 = [
    {"min": 1, "max": 3, "label": "weak", "description": "Little evidence; key elements missing."},
    {"min": 3.5, "max": 6, "label": "adequate", "description": "Sound but unremarkable."},
    {"min": 6.5, "max": 8, "label": "strong", "description": "Clear, documented results."},
    {"min": 8.5, "max": 10, "label": "exemplary", "description": "A reference for other cities."},
]

ROUND_1 = [
    ("impact", "Impact on quality of life", "Measured change in residents' lives.", "0.25"),
    ("innovation", "Innovation", "New to the city or the world: approach, tools, funding.", "0.15"),
    ("transferability", "Transferability", "Could another metropolis adopt it?", "0.15"),
    ("sustainability", "Sustainability", "Financial, institutional and environmental.", "0.15"),
    ("inclusion", "Inclusion and equity", "Who benefits; vulnerable groups reached.", "0.15"),
    ("governance", "Governance and participation", "Residents and partners involved.", "0.15"),
]
ROUND_2 = [
    ("merit", "Overall merit", "The jury's judgement of the project as a whole.", "0.5", True),
    ("exemplarity", "Exemplarity", "Worth showing at the World Congress.", "0.3", False),
    ("evidence", "Evidence of results", "Independent data behind the claims.", "0.2", False),
]

# Points a juror adds to (or takes from) what an entry deserves.
SEVERITY = {
    "juror1": 0.0,
    "juror2": -1.4,
    "juror3": 0.3,
    "juror4": 1.2,
    "juror5": -0.2,
    "juror6": -1.0,
    "juror7": 0.9,
    "juror8": 0.2,
}
FINAL_JURY = ["juror1", "juror3", "juror4", "juror5", "juror8"]
SHORTLIST_METHOD, SHORTLIST_SIZE = "fixed_effects", 8
RELEASED_AT = datetime(2014, 7, 21, 10, 0, tzinfo=MADRID)
# Initiatives jurors who have begun a sheet, and how many criteria they have scored in it.
DRAFTS = {"juror1": 3, "juror3": 5, "juror8": 2}
STEP = Decimal("0.5")


def seed(data: dict) -> None:
    award = data["calls"]["award"]
    first, _ = Round.objects.get_or_create(
        call=award,
        number=1,
        defaults={
            "name": "First round",
            "jury_deadline": datetime(2014, 7, 15, 23, 59, tzinfo=MADRID),
        },
    )
    final, created = Round.objects.get_or_create(
        call=award,
        number=2,
        defaults={
            "name": "Final round",
            "jury_deadline": datetime(2014, 9, 15, 23, 59, tzinfo=MADRID),
        },
    )
    if created:
        final.jurors.set(User.objects.filter(username__in=FINAL_JURY))
    _seed_rubric(first, [(*line, False) for line in ROUND_1], step=STEP)
    _seed_rubric(final, ROUND_2, step=Decimal(1))
    if not Assignment.objects.filter(round=first).exists():
        secretariat = User.objects.get(username="secretariat")
        auto_assign(secretariat, first, reviewers_per_submission=3, max_per_juror=16, dry_run=False)
    _seed_sheets(first)
    _seed_shortlist(award, first)
    _seed_open_round(data["calls"]["initiatives"])


def _seed_open_round(call) -> None:
    """The Initiatives jury is at work now: its deadline is a month ahead, nothing scored yet,
    so every demo juror has sheets to fill in."""
    in_a_month = timezone.localtime(timezone.now() + timedelta(days=30), call.tzinfo).replace(
        hour=23, minute=59, second=59, microsecond=0
    )
    round_, _ = Round.objects.get_or_create(
        call=call, number=1, defaults={"name": "Evaluation", "jury_deadline": in_a_month}
    )
    if round_.jury_deadline < timezone.now():  # the demo keeps this round open
        round_.jury_deadline = in_a_month
        round_.save(update_fields=["jury_deadline"])
    _seed_rubric(round_, [(*line, False) for line in ROUND_1], step=STEP)
    if not Assignment.objects.filter(round=round_).exists():
        secretariat = User.objects.get(username="secretariat")
        auto_assign(secretariat, round_, reviewers_per_submission=3, max_per_juror=6, dry_run=False)
    _seed_drafts(round_)


def _seed_drafts(round_: Round) -> None:
    """Some jurors have begun: a draft with the first criteria scored on their first entry,
    saved through the same service a juror's page uses. Every other sheet is still to open."""
    criteria = list(Criterion.objects.filter(round=round_).order_by("order"))
    for username, scored in DRAFTS.items():
        assignment = (
            Assignment.objects.filter(round=round_, juror__username=username)
            .order_by("submission__title")
            .first()
        )
        if assignment is None or hasattr(assignment, "sheet"):
            continue
        sheet = open_sheet(assignment.juror, assignment.pk)
        rng = random.Random(f"draft:{assignment.submission.title}:{username}")
        lines = [
            {"criterion": c.key, "value": mark(6.0, SEVERITY.get(username, 0.0), rng)}
            for c in criteria[:scored]
        ]
        save_draft(assignment.juror, sheet.pk, scores=lines, version=sheet.version)


def _seed_shortlist(award, first: Round) -> None:
    """The first round's results are released with the eight best entries shortlisted (by the
    calibrated ranking the Board reads first): the Board has a shortlist to decide at once."""
    secretariat = User.objects.get(username="secretariat")
    if not award.submissions.filter(status__in=VERDICT_STATUSES).exists():
        shortlist(secretariat, award, first, method=SHORTLIST_METHOD, top_n=SHORTLIST_SIZE)
    if not is_released(first):
        release(secretariat, first)
        # Released a few days after the jury's deadline, in 2014 like the sheets.
        Round.objects.filter(pk=first.pk).update(results_released_at=RELEASED_AT)


def _seed_rubric(round_: Round, lines: list[tuple], *, step: Decimal) -> None:
    if Criterion.objects.filter(round=round_).exists():
        return
    Criterion.objects.bulk_create(
        Criterion(
            round=round_,
            key=key,
            label=label,
            description=description,
            weight=Decimal(weight),
            min_value=1,
            max_value=10,
            step=step,
            levels=LEVELS_1_10 if step == STEP else _whole(LEVELS_1_10),
            comment_required=comment_required,
            order=order,
        )
        for order, (key, label, description, weight, comment_required) in enumerate(lines)
    )


def _whole(levels: list[dict]) -> list[dict]:
    """The level descriptors for a scale in whole points."""
    return [{**level, "min": int(-(-level["min"] // 1))} for level in levels]


def mark(quality: float, severity: float, rng: random.Random) -> Decimal:
    """One criterion's value: what the entry deserves, the juror's severity, some noise;
    clipped to 1-10 and snapped to the half point."""
    raw = min(10.0, max(1.0, quality + severity + rng.gauss(0, 0.7)))
    return (Decimal(str(raw)) / STEP).quantize(Decimal(1)) * STEP


def _seed_sheets(round_: Round) -> None:
    assignments = list(
        Assignment.objects.filter(round=round_, declined_at__isnull=True, sheet__isnull=True)
        .select_related("juror", "submission")
        .order_by("submission_id", "juror__username")
    )
    if not assignments:
        return
    criteria = list(Criterion.objects.filter(round=round_).order_by("order"))
    opened = datetime(2014, 6, 16, 9, 0, tzinfo=MADRID)
    sheets, lines = [], []
    for assignment in assignments:
        title, juror = assignment.submission.title, assignment.juror.username
        entry = random.Random(f"quality:{title}")
        quality = min(9.0, max(2.5, entry.gauss(6.2, 1.4)))
        strengths = {c.key: entry.gauss(0, 0.6) for c in criteria}
        rng = random.Random(f"sheet:{title}:{juror}")
        values = {
            c.key: mark(quality + strengths[c.key], SEVERITY.get(juror, 0.0), rng) for c in criteria
        }
        submitted = opened + timedelta(days=rng.randint(0, 28), minutes=rng.randint(0, 600))
        sheet = ScoreSheet(
            assignment=assignment,
            status=ScoreSheet.Status.SUBMITTED,
            version=2,
            comment=_comment(criteria, values),
            submitted_at=submitted,
        )
        sheets.append(sheet)
        lines.append(values)
    ScoreSheet.objects.bulk_create(sheets)
    sheets = list(ScoreSheet.objects.filter(assignment__in=assignments).order_by("assignment_id"))
    by_assignment = {sheet.assignment_id: sheet for sheet in sheets}
    scores, changes = [], []
    for assignment, values in zip(assignments, lines, strict=True):
        sheet = by_assignment[assignment.pk]
        for criterion in criteria:
            value = values[criterion.key]
            scores.append(Score(sheet=sheet, criterion=criterion, value=value))
            changes.append(_change(sheet, assignment.juror, criterion.key, None, number(value)))
        changes.append(_change(sheet, assignment.juror, "comment", None, sheet.comment))
        changes.append(_change(sheet, assignment.juror, "status", "draft", "submitted"))
    Score.objects.bulk_create(scores)
    ScoreChange.objects.bulk_create(changes)
    # The sheets were written in 2014, not when the demo was seeded.
    ScoreSheet.objects.filter(pk__in=[s.pk for s in sheets]).update(
        created_at=F("submitted_at"), updated_at=F("submitted_at")
    )
    ScoreChange.objects.filter(sheet__in=sheets).update(
        created_at=Subquery(
            ScoreSheet.objects.filter(pk=OuterRef("sheet_id")).values("submitted_at")
        )
    )
    first_submission = min(sheet.submitted_at for sheet in sheets)
    Round.objects.filter(pk=round_.pk, rubric_locked_at__isnull=True).update(
        rubric_locked_at=first_submission
    )


def _change(sheet: ScoreSheet, juror: User, field: str, old, new) -> ScoreChange:
    return ScoreChange(sheet=sheet, actor=juror, field=field, old_value=old, new_value=new)


def _comment(criteria: list[Criterion], values: dict[str, Decimal]) -> str:
    labels = {c.key: c.label.lower() for c in criteria}
    best = max(values, key=lambda key: (values[key], key))
    worst = min(values, key=lambda key: (values[key], key))
    mean = sum(values.values()) / len(values)
    if mean >= Decimal("7.5"):
        opening = "An outstanding project"
    elif mean >= 6:
        opening = "A solid project"
    elif mean >= 4:
        opening = "A project of uneven quality"
    else:
        opening = "A weak application"
    return f"{opening}: strongest on {labels[best]}, weakest on {labels[worst]}."
