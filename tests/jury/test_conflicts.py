import pytest

from jury.conflicts import Party, conflict_rule
from jury.models import Assignment, Conflict
from jury.services import detect_conflicts
from scoring.models import ScoreSheet
from submissions.models import AuditEvent
from tests.factories import (
    AssignmentFactory,
    CallFactory,
    EligibleSubmissionFactory,
    JurorProfileFactory,
    JuryMemberFactory,
    OrganizationFactory,
    SecretariatFactory,
)
from tests.support.clients import client_for


def test_conflict_rules_on_plain_facts():
    entrant = Party(organization_id=7, city="Medellín", country="Colombia")
    assert conflict_rule(Party(7, "Paris", "France"), entrant, same_country=False) == "organization"
    assert conflict_rule(Party(None, "medellin ", "X"), entrant, same_country=False) == "city"
    assert conflict_rule(Party(None, "Bogotá", "colombia"), entrant, same_country=False) is None
    assert conflict_rule(Party(None, "Bogotá", "colombia"), entrant, same_country=True) == "country"
    assert conflict_rule(Party(None, "", ""), Party(None, "", ""), same_country=True) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("juror_facts", "same_country", "rule"),
    [
        ({"organization": "entrant"}, False, "organization"),
        ({"city": "Medellín"}, False, "city"),
        ({"country": "Colombia"}, True, "country"),
        ({"country": "Colombia"}, False, None),
    ],
)
def test_each_automatic_rule_is_detected(juror_facts, same_country, rule):
    organization = OrganizationFactory(city="Medellín", country="Colombia")
    call = CallFactory(conflict_same_country=same_country)
    entry = EligibleSubmissionFactory(call=call, organization=organization)
    profile = JurorProfileFactory(
        city=juror_facts.get("city", "Lisbon"), country=juror_facts.get("country", "Portugal")
    )
    if juror_facts.get("organization"):
        profile.user.organization = organization
        profile.user.save()
    JuryMemberFactory(call=call, juror=profile.user)
    detect_conflicts(call)
    found = Conflict.objects.filter(submission=entry, juror=profile.user).first()
    assert (found.rule if found else None) == rule
    if found:
        assert found.source == "automatic" and found.reason


@pytest.mark.django_db
def test_a_declared_conflict_recuses_at_once_but_keeps_a_submitted_sheet():
    unscored = AssignmentFactory()
    scored = AssignmentFactory(juror=unscored.juror, round=unscored.round)
    ScoreSheet.objects.create(assignment=scored, status="submitted")
    client = client_for(unscored.juror)
    for assignment in (unscored, scored):
        answer = client.post(
            "/api/v1/conflicts/",
            {"submission": assignment.submission_id, "reason": "I advised this city"},
            format="json",
        )
        assert answer.status_code == 201, answer.json()
        assert answer.json()["source"] == "declared"
    assert not Assignment.objects.filter(pk=unscored.pk).exists()
    assert Assignment.objects.filter(pk=scored.pk).exists()


@pytest.mark.django_db
def test_a_juror_cannot_declare_on_an_entry_they_cannot_see():
    assignment = AssignmentFactory()
    stranger = EligibleSubmissionFactory()
    answer = client_for(assignment.juror).post(
        "/api/v1/conflicts/", {"submission": stranger.pk, "reason": "x"}, format="json"
    )
    assert answer.status_code == 404
    assert not Conflict.objects.exists()


@pytest.mark.django_db
def test_only_staff_dismiss_with_a_reason_and_it_is_audited():
    conflict = Conflict.objects.create(
        call=(entry := EligibleSubmissionFactory()).call,
        submission=entry,
        juror=JurorProfileFactory().user,
        source="automatic",
        rule="city",
        reason="Same city",
    )
    juror_answer = client_for(conflict.juror).post(
        f"/api/v1/conflicts/{conflict.pk}/dismiss/", {"reason": "no"}, format="json"
    )
    assert juror_answer.status_code == 403
    staff = client_for(SecretariatFactory())
    assert (
        staff.post(
            f"/api/v1/conflicts/{conflict.pk}/dismiss/", {"reason": ""}, format="json"
        ).status_code
        == 400
    )
    answer = staff.post(
        f"/api/v1/conflicts/{conflict.pk}/dismiss/",
        {"reason": "Moved away from the city in 2010"},
        format="json",
    )
    assert answer.status_code == 200 and answer.json()["is_active"] is False
    assert AuditEvent.objects.filter(action="conflict.dismissed").count() == 1
    detect_conflicts(conflict.call)
    conflict.refresh_from_db()
    assert conflict.dismissed_at is not None  # a dismissal stands


@pytest.mark.django_db
def test_the_conflict_list_filters_and_shows_a_juror_only_their_own():
    call = CallFactory()
    mine = Conflict.objects.create(
        call=call,
        submission=EligibleSubmissionFactory(call=call),
        juror=JurorProfileFactory().user,
        source="declared",
        rule="declared",
        reason="r",
    )
    Conflict.objects.create(
        call=call,
        submission=EligibleSubmissionFactory(call=call),
        juror=JurorProfileFactory().user,
        source="automatic",
        rule="city",
    )
    assert client_for(mine.juror).get("/api/v1/conflicts/").json()["count"] == 1
    staff = client_for(SecretariatFactory())
    assert staff.get(f"/api/v1/conflicts/?call={call.slug}").json()["count"] == 2
    assert staff.get("/api/v1/conflicts/?source=automatic").json()["count"] == 1
    assert staff.get(f"/api/v1/conflicts/?juror={mine.juror_id}").json()["count"] == 1
