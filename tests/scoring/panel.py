"""A judging panel for the scoring tests: a call, round 1 with a rubric, entries and jurors."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from scoring.models import ScoreSheet
from tests.conftest import client_for
from tests.factories import (
    AssignmentFactory,
    CallFactory,
    CriterionFactory,
    EligibleSubmissionFactory,
    JurorProfileFactory,
    JuryMemberFactory,
    OrganizationFactory,
    RoundFactory,
    SecretariatFactory,
)

# Three criteria on 1-10: impact in half points and weighted double, inclusion needs a comment.
RUBRIC = [
    {"key": "impact", "weight": 2, "step": Decimal("0.5")},
    {"key": "innovation"},
    {"key": "inclusion", "comment_required": True},
]
FULL = [
    {"criterion": "impact", "value": 7.5},
    {"criterion": "innovation", "value": 6},
    {"criterion": "inclusion", "value": 8, "comment": "Reaches informal settlements."},
]


class Panel:
    """A call with round 1, the RUBRIC, `n_entries` eligible entries and `n_jurors` jurors
    (the first chairs), every juror assigned to every entry."""

    def __init__(self, n_entries=3, n_jurors=3, *, deadline_in=timedelta(days=20), **call):
        self.call = CallFactory(**call)
        self.round = RoundFactory(call=self.call, jury_deadline=timezone.now() + deadline_in)
        self.criteria = [
            CriterionFactory(round=self.round, order=i, label=line["key"].title(), **line)
            for i, line in enumerate(RUBRIC)
        ]
        self.entries = [
            EligibleSubmissionFactory(call=self.call, organization=OrganizationFactory())
            for _ in range(n_entries)
        ]
        self.jurors = [
            JuryMemberFactory(
                call=self.call, juror=JurorProfileFactory().user, is_chair=(i == 0)
            ).juror
            for i in range(n_jurors)
        ]
        self.chair = self.jurors[0]
        self.staff = SecretariatFactory()
        self.assignments = {
            (juror.pk, entry.pk): AssignmentFactory(round=self.round, submission=entry, juror=juror)
            for juror in self.jurors
            for entry in self.entries
        }

    def assignment(self, juror, entry=None):
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
