"""One world for every suite that needs a judged call.

`JudgedCall` builds a call with its first round and the people around it: the secretariat
(`staff`), the Board (`board`), `jurors` seated on its jury (the first one chairs: `chair`),
eligible `entries` from as many member cities, and the round's rubric (`criteria`). Its steps
add the work done on it, through the platform's own services where the way matters (the
optimal assignment, sheets opened, saved and submitted, a shortlist released to the Board), or
as plain rows where a test only needs many scores to rank (`score_rows`). The scoring API's
helpers (`open`, `put`, `submit`...) drive a juror's sheet over HTTP.

The page, API, browser, fuzz and permission tests all start from it, each choosing its size,
its rubric and the call's settings.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from jury import services as jury_services
from jury.models import Assignment
from scoring import decisions, results, sheets
from scoring.models import Criterion, Score, ScoreSheet
from submissions import services
from submissions.models import Submission
from tests.factories import (
    AssignmentFactory,
    AttachmentFactory,
    BoardFactory,
    CallFactory,
    EligibleSubmissionFactory,
    JurorProfileFactory,
    JuryMemberFactory,
    OrganizationFactory,
    RoundFactory,
    SecretariatFactory,
)
from tests.support.clients import client_for

LEVELS = [
    {"min": 1, "max": 3, "label": "weak", "description": "Little evidence of results."},
    {"min": 4, "max": 6, "label": "adequate", "description": "Some results, partly measured."},
    {"min": 7, "max": 8, "label": "strong", "description": "Clear, measured results."},
    {"min": 9, "max": 10, "label": "exemplary", "description": "A model for other cities."},
]
# The pages' rubric: three criteria on 1-10 with level descriptors, impact weighted double and
# explained by a comment.
RUBRIC = [
    {
        "key": key,
        "label": label,
        "description": f"How well the project does on {label.lower()}.",
        "weight": weight,
        "levels": LEVELS,
        "comment_required": key == "impact",
    }
    for key, label, weight in (
        ("impact", "Impact on residents' quality of life", 2),
        ("innovation", "Innovation", 1),
        ("transfer", "Transferability to other cities", 1),
    )
]
# The scoring API's rubric: impact in half points and weighted double, inclusion explained.
HALF_POINTS = [
    {"key": "impact", "weight": 2, "step": Decimal("0.5")},
    {"key": "innovation"},
    {"key": "inclusion", "comment_required": True},
]
# A full sheet on HALF_POINTS.
FULL = [
    {"criterion": "impact", "value": 7.5},
    {"criterion": "innovation", "value": 6},
    {"criterion": "inclusion", "value": 8, "comment": "Reaches informal settlements."},
]


def add_rubric(round_, lines=RUBRIC) -> list[Criterion]:
    """The round's criteria, in order, from plain lines: a key, and any of label (the key's,
    capitalised), description, weight (1), min_value and max_value (1-10), step (1), levels
    and comment_required (none)."""
    return [
        Criterion.objects.create(
            round=round_,
            key=line["key"],
            label=line.get("label", line["key"].title()),
            description=line.get("description", ""),
            weight=Decimal(str(line.get("weight", 1))),
            min_value=line.get("min_value", 1),
            max_value=line.get("max_value", 10),
            step=line.get("step", 1),
            levels=line.get("levels", []),
            comment_required=line.get("comment_required", False),
            order=order,
        )
        for order, line in enumerate(lines)
    ]


def draft_of(contact, call, **fields) -> Submission:
    """A city's draft, through the service a city uses."""
    values = {"title": "Superblocks", "summary": "Streets for people.", "theme": "Governance"}
    values.update(fields)
    return services.create_draft(contact, call, contact.organization, **values)


class JudgedCall:
    """A call, its round 1 and its jury; see the module's docstring."""

    def __init__(
        self,
        *,
        entries: int = 6,
        jurors: int = 4,
        rubric=RUBRIC,
        expertise: bool = False,
        jury_deadline_in: timedelta = timedelta(days=30),
        **call_fields,
    ):
        self.call = CallFactory(**call_fields)
        self.round = RoundFactory(call=self.call, jury_deadline=timezone.now() + jury_deadline_in)
        self.criteria = add_rubric(self.round, rubric) if rubric else []
        self.entries = [self.add_entry() for _ in range(entries)]
        self.jurors = []
        for number in range(jurors):
            themes = [self.call.themes[number % 3]] if expertise else []
            self.seat_juror(chair=number == 0, expertise=themes)
        self.staff = SecretariatFactory()
        self.board = BoardFactory()
        self.assignments: dict[tuple[int, int], Assignment] = {}

    @property
    def chair(self):
        return self.jurors[0]

    # --- who and what ------------------------------------------------------------------------

    def add_entry(self, **fields) -> Submission:
        """An eligible entry from a member city of its own; themes go round the call's."""
        themes = self.call.themes
        fields.setdefault("organization", OrganizationFactory())
        if themes:
            fields.setdefault("theme", themes[len(getattr(self, "entries", [])) % len(themes)])
        return EligibleSubmissionFactory(call=self.call, **fields)

    def seat_juror(self, *, chair: bool = False, expertise=(), **profile):
        """A juror seated on the call's jury (their profile's fields: affiliation, city...)."""
        juror = JurorProfileFactory(**profile).user
        JuryMemberFactory(call=self.call, juror=juror, is_chair=chair, expertise=list(expertise))
        self.jurors.append(juror)
        return juror

    # --- the work --------------------------------------------------------------------------------

    def assign(self, per_entry: int = 2, max_per_juror: int = 10):
        """The optimal plan, applied by the secretariat (jury.services.auto_assign)."""
        return jury_services.auto_assign(
            self.staff,
            self.round,
            reviewers_per_submission=per_entry,
            max_per_juror=max_per_juror,
            dry_run=False,
        )

    def assign_everyone(self) -> None:
        """Every juror on every entry, as rows."""
        for juror in self.jurors:
            for entry in self.entries:
                self.assignments[(juror.pk, entry.pk)] = AssignmentFactory(
                    round=self.round, submission=entry, juror=juror
                )

    def score_all(self) -> None:
        """Every assignment scored and submitted through the sheet services, with some spread
        between entries."""
        for assignment in Assignment.objects.filter(round=self.round).select_related("juror"):
            juror = assignment.juror
            sheet = sheets.open_sheet(juror, assignment.pk)
            base = 3 + (assignment.submission_id % 6)
            lines = [
                {
                    "criterion": c.key,
                    "value": Decimal(min(10, base + i % 2)),
                    "comment": f"Comment of {juror.username} on {c.key}.",
                }
                for i, c in enumerate(self.criteria)
            ]
            sheet = sheets.save_draft(
                juror, sheet.pk, scores=lines, comment="Solid work.", version=sheet.version
            )
            sheets.submit_sheet(juror, sheet.pk, version=sheet.version)

    def score_rows(self, value) -> None:
        """Every juror scores every entry, as rows of submitted sheets: `value(entry_index,
        juror_index, criterion)` gives each score."""
        for j, juror in enumerate(self.jurors):
            for i, entry in enumerate(self.entries):
                assignment = Assignment.objects.create(
                    round=self.round, submission=entry, juror=juror
                )
                sheet = ScoreSheet.objects.create(assignment=assignment, status="submitted")
                for criterion in self.criteria:
                    Score.objects.create(
                        sheet=sheet, criterion=criterion, value=value(i, j, criterion)
                    )

    def shortlist_and_release(self, top_n: int = 3):
        chosen, _next_round = decisions.shortlist(self.staff, self.call, self.round, top_n=top_n)
        results.release(self.staff, self.round)
        return chosen

    def decide(self, *, announce: bool = True) -> list[Submission]:
        """The judging done: assigned and scored, entries 0-2 (renamed Project A, B, C...)
        shortlisted by hand and released; the Board awards A, mentions B, turns down C; entry
        A holds a file; the decisions announced unless said."""
        self.assign()
        self.score_all()
        for number, entry in enumerate(self.entries):
            Submission.objects.filter(pk=entry.pk).update(
                title=f"Project {'ABCDEF'[number]}",
                summary=f"Summary of project {'ABCDEF'[number]}.",
                description=f"Private description {number}.",
            )
        chosen = [entry.pk for entry in self.entries[:3]]
        decisions.shortlist(self.staff, self.call, self.round, submission_ids=chosen)
        results.release(self.staff, self.round)
        outcomes = ["awarded", "special_mention", "not_selected"]
        for entry, outcome in zip(self.entries[:3], outcomes, strict=True):
            decisions.record_decision(
                self.board, self.call, entry, outcome, f"Rationale {outcome} kept inside."
            )
        AttachmentFactory(submission=self.entries[0], original_name="winner-form.pdf")
        if announce:
            self.call.announcement_at = timezone.now() - timedelta(minutes=1)
            self.call.save(update_fields=["announcement_at"])
        return self.entries

    # --- the worlds the suites start from ------------------------------------------------------

    @classmethod
    def panel(cls, n_entries=3, n_jurors=3, *, deadline_in=timedelta(days=20), **call):
        """The scoring API's panel: the HALF_POINTS rubric, every juror on every entry."""
        world = cls(
            entries=n_entries,
            jurors=n_jurors,
            rubric=HALF_POINTS,
            jury_deadline_in=deadline_in,
            **call,
        )
        world.assign_everyone()
        return world

    @classmethod
    def scored(cls):
        """A closed call whose round 4 jurors scored entirely (5 entries, impact weighted
        double, and reach): entry 0 is the best, and each juror marks a little differently."""
        now = timezone.now()
        world = cls(
            entries=5,
            jurors=4,
            rubric=[{"key": "impact", "weight": 2}, {"key": "reach"}],
            opens_at=now - timedelta(days=60),
            deadline=now - timedelta(days=30),
        )

        def value(i, j, criterion):
            quality = 9 - 1.5 * i
            if criterion.key == "impact":
                return max(1, min(10, round(quality - 0.5 * j)))
            return max(1, min(10, round(quality + (j % 2))))

        world.score_rows(value)
        return world

    # --- a juror's sheet over the API ---------------------------------------------------------

    def assignment(self, juror, entry=None) -> Assignment:
        return self.assignments[(juror.pk, (entry or self.entries[0]).pk)]

    def open(self, juror, entry=None) -> dict:
        """The juror opens their sheet for the entry (created the first time)."""
        answer = client_for(juror).get(
            f"/api/v1/juror/assignments/{self.assignment(juror, entry).pk}/sheet/"
        )
        assert answer.status_code == 200, answer.json()
        return answer.json()

    def put(self, juror, sheet: dict, scores=FULL, comment="", **headers):
        body = {"scores": scores, "comment": comment}
        if "HTTP_IF_MATCH" not in headers:
            body["version"] = sheet["version"]
        return client_for(juror).put(
            f"/api/v1/score-sheets/{sheet['id']}/", body, format="json", **headers
        )

    def submit(self, juror, sheet: dict):
        return client_for(juror).post(
            f"/api/v1/score-sheets/{sheet['id']}/submit/",
            {"version": sheet["version"]},
            format="json",
        )

    def submitted_sheet(self, juror, entry=None, scores=FULL) -> dict:
        sheet = self.put(juror, self.open(juror, entry), scores).json()
        answer = self.submit(juror, sheet)
        assert answer.status_code == 200, answer.json()
        return answer.json()

    def sheet(self, sheet: dict) -> ScoreSheet:
        return ScoreSheet.objects.get(pk=sheet["id"])

    @classmethod
    def at_the_cut(cls, **call):
        """A round with entries close at the cut: 8 entries, 6 jurors, each entry read and
        scored by 2 of them (the optimal plan), on one criterion. Entries 0-1 are clearly in
        the top 3, entries 6-7 clearly out, the middle four close to each other."""
        world = cls(entries=8, jurors=6, rubric=[{"key": "impact"}], **call)
        world.assign(per_entry=2, max_per_juror=4)
        quality = [10, 9, 6, 6, 6, 5, 2, 1]
        criterion = world.criteria[0]
        for assignment in Assignment.objects.filter(round=world.round).order_by("pk"):
            i = world.entries.index(assignment.submission)
            j = world.jurors.index(assignment.juror)
            noise = 0 if i in (0, 1, 6, 7) else ((i + j) % 3) - 1
            sheet = ScoreSheet.objects.create(assignment=assignment, status="submitted")
            Score.objects.create(sheet=sheet, criterion=criterion, value=quality[i] + noise)
        return world
