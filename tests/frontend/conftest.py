"""Scenes for the page tests: a city with an open call, a jury with a rubric, scored rounds."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from jury import services as jury_services
from scoring import sheets
from scoring.models import Criterion
from submissions.models import Submission
from tests.factories import (
    BoardFactory,
    CallFactory,
    CityContactFactory,
    EligibleSubmissionFactory,
    JurorProfileFactory,
    JuryMemberFactory,
    OrganizationFactory,
    RoundFactory,
    SecretariatFactory,
)

LEVELS = [
    {"min": 1, "max": 3, "label": "weak", "description": "Little evidence of results."},
    {"min": 4, "max": 6, "label": "adequate", "description": "Some results, partly measured."},
    {"min": 7, "max": 8, "label": "strong", "description": "Clear, measured results."},
    {"min": 9, "max": 10, "label": "exemplary", "description": "A model for other cities."},
]


def browser_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def page():
    """page(user) -> a test client signed in as that user (None: anonymous)."""
    return lambda user=None: browser_for(user) if user else Client()


def add_rubric(round_, *, comment_required_on: str | None = "impact") -> list[Criterion]:
    specs = [
        ("impact", "Impact on residents' quality of life", 2),
        ("innovation", "Innovation", 1),
        ("transfer", "Transferability to other cities", 1),
    ]
    return [
        Criterion.objects.create(
            round=round_,
            key=key,
            label=label,
            description=f"How well the project does on {label.lower()}.",
            weight=Decimal(weight),
            min_value=1,
            max_value=10,
            step=1,
            levels=LEVELS,
            comment_required=(key == comment_required_on),
            order=order,
        )
        for order, (key, label, weight) in enumerate(specs)
    ]


class Scene:
    """A call judged by 4 jurors (the first chairs), with 6 eligible entries and a rubric."""

    def __init__(self, *, n_entries=6, n_jurors=4, **call_fields):
        self.call = CallFactory(**call_fields)
        self.round = RoundFactory(call=self.call)
        self.criteria = add_rubric(self.round)
        self.entries = [
            EligibleSubmissionFactory(
                call=self.call,
                organization=OrganizationFactory(),
                theme=self.call.themes[i % len(self.call.themes)],
            )
            for i in range(n_entries)
        ]
        self.jurors = [
            JuryMemberFactory(
                call=self.call, juror=JurorProfileFactory().user, is_chair=(i == 0)
            ).juror
            for i in range(n_jurors)
        ]
        self.chair = self.jurors[0]
        self.staff = SecretariatFactory()
        self.board = BoardFactory()

    def assign(self, per_entry=2, max_per_juror=10):
        return jury_services.auto_assign(
            self.staff,
            self.round,
            reviewers_per_submission=per_entry,
            max_per_juror=max_per_juror,
            dry_run=False,
        )

    def score_all(self):
        """Every assignment scored and submitted, with some spread between entries."""
        from jury.models import Assignment

        for assignment in Assignment.objects.filter(round=self.round).select_related("juror"):
            juror = assignment.juror
            sheet = sheets.open_sheet(juror, assignment.pk)
            base = 3 + (assignment.submission_id % 6)
            scores = [
                {
                    "criterion": c.key,
                    "value": Decimal(min(10, base + i % 2)),
                    "comment": f"Comment of {juror.username} on {c.key}.",
                }
                for i, c in enumerate(self.criteria)
            ]
            sheet = sheets.save_draft(
                juror, sheet.pk, scores=scores, comment="Solid work.", version=sheet.version
            )
            sheets.submit_sheet(juror, sheet.pk, version=sheet.version)

    def shortlist_and_release(self, top_n=3):
        from scoring import decisions, results

        chosen, _ = decisions.shortlist(self.staff, self.call, self.round, top_n=top_n)
        results.release(self.staff, self.round)
        return chosen


@pytest.fixture
def scene(db):
    return Scene()


@pytest.fixture
def make_scene(db):
    return Scene


@pytest.fixture
def city(db):
    """A city contact of a member city with dues paid, and a call open for 10 more days."""
    contact = CityContactFactory()
    call = CallFactory(
        required_document_kinds=["application_form"],
        deadline=timezone.now() + timedelta(days=10),
    )
    return contact, call


def draft_of(contact, call, **fields) -> Submission:
    from submissions import services

    values = {"title": "Superblocks", "summary": "Streets for people.", "theme": "Governance"}
    values.update(fields)
    return services.create_draft(contact, call, contact.organization, **values)
