import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jury.models import Assignment, Conflict
from scoring.models import Score, ScoreSheet
from submissions.models import AuditEvent, User
from tests.factories import CityContactFactory, JurorProfileFactory
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


def auto(client, call, **body):
    return client.post(
        f"/api/v1/calls/{call.slug}/assignments/auto/",
        {"reviewers_per_submission": 2, "max_per_juror": 10, **body},
        format="json",
    )


def test_a_dry_run_shows_the_plan_without_saving_it(jury):
    answer = auto(client_for(jury.staff), jury.call, dry_run=True)
    assert answer.status_code == 200, answer.json()
    plan = answer.json()
    assert plan["dry_run"] is True and len(plan["new_assignments"]) == 12
    assert plan["load_max"] - plan["load_min"] <= 1 and plan["balanced"]
    assert plan["expertise_matches"] >= 1 and plan["objective"] == plan["expertise_matches"]
    assert Assignment.objects.count() == 0


def test_applying_saves_audits_and_emails_each_juror_once(jury, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = auto(client_for(jury.staff), jury.call, dry_run=False)
    assert answer.status_code == 201
    assert Assignment.objects.count() == 12
    assert AuditEvent.objects.filter(action="assignment.auto_applied").count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(j.email for j in jury.jurors)


def test_a_second_run_tops_up_and_keeps_existing_assignments(jury):
    staff = client_for(jury.staff)
    auto(staff, jury.call, dry_run=False, reviewers_per_submission=1)
    before = set(Assignment.objects.values_list("submission_id", "juror_id"))
    answer = auto(staff, jury.call, dry_run=False, reviewers_per_submission=2)
    assert answer.json()["kept_assignments"] == 6 and len(answer.json()["new_assignments"]) == 6
    after = set(Assignment.objects.values_list("submission_id", "juror_id"))
    assert before < after and len(after) == 12


def test_the_plan_never_pairs_a_conflicted_juror(jury):
    entry, juror = jury.entries[0], jury.jurors[1]
    Conflict.objects.create(
        call=jury.call,
        submission=entry,
        juror=juror,
        source="declared",
        rule="declared",
        reason="r",
    )
    auto(client_for(jury.staff), jury.call, dry_run=False, reviewers_per_submission=3)
    assert not Assignment.objects.filter(submission=entry, juror=juror).exists()
    assert Assignment.objects.filter(submission=entry).count() == 3


def test_an_impossible_plan_is_refused_with_the_reason(jury):
    too_small = auto(client_for(jury.staff), jury.call, reviewers_per_submission=2, max_per_juror=1)
    assert too_small.status_code == 400 and "12" in too_small.json()["error"]["message"]
    for juror in jury.jurors[1:]:
        Conflict.objects.create(
            call=jury.call,
            submission=jury.entries[2],
            juror=juror,
            source="declared",
            rule="declared",
            reason="r",
        )
    answer = auto(client_for(jury.staff), jury.call, reviewers_per_submission=2)
    assert answer.status_code == 400
    message = answer.json()["error"]["message"]
    assert str(jury.entries[2].pk) in message and "conflict" in message


def test_manual_assignment_refuses_a_conflicted_pair_and_an_outsider(jury):
    staff = client_for(jury.staff)
    entry, juror = jury.entries[0], jury.jurors[1]
    ok = staff.post(
        f"/api/v1/calls/{jury.call.slug}/assignments/",
        {"submission": entry.pk, "juror": juror.pk},
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    twice = staff.post(
        f"/api/v1/calls/{jury.call.slug}/assignments/",
        {"submission": entry.pk, "juror": juror.pk},
        format="json",
    )
    assert twice.status_code == 409
    Conflict.objects.create(
        call=jury.call,
        submission=jury.entries[1],
        juror=juror,
        source="declared",
        rule="declared",
        reason="r",
    )
    conflicted = staff.post(
        f"/api/v1/calls/{jury.call.slug}/assignments/",
        {"submission": jury.entries[1].pk, "juror": juror.pk},
        format="json",
    )
    assert (
        conflicted.status_code == 409
        and "conflict of interest" in conflicted.json()["error"]["message"]
    )
    outsider = JurorProfileFactory().user
    answer = staff.post(
        f"/api/v1/calls/{jury.call.slug}/assignments/",
        {"submission": entry.pk, "juror": outsider.pk},
        format="json",
    )
    assert answer.status_code == 400 and "jury" in answer.json()["error"]["message"]


def test_an_assignment_is_deleted_only_while_no_score_exists(jury):
    staff = client_for(jury.staff)
    auto(staff, jury.call, dry_run=False)
    free, scored = Assignment.objects.all()[:2]
    sheet = ScoreSheet.objects.create(assignment=scored)
    Score.objects.create(sheet=sheet, criterion=_criterion(jury.round), value=5)
    assert staff.delete(f"/api/v1/assignments/{free.pk}/").status_code == 204
    answer = staff.delete(f"/api/v1/assignments/{scored.pk}/")
    assert answer.status_code == 409 and Assignment.objects.filter(pk=scored.pk).exists()


def _criterion(round_):
    return round_.criteria.create(key="impact", label="Impact")


def test_only_staff_and_the_chair_assign(jury):
    other_juror = client_for(jury.jurors[1])
    assert auto(other_juror, jury.call).status_code == 403
    assert auto(client_for(CityContactFactory()), jury.call).status_code == 403
    assert auto(client_for(jury.chair), jury.call).status_code == 200


def test_a_juror_declines_and_the_chair_tops_up_with_someone_else(jury):
    staff = client_for(jury.staff)
    auto(staff, jury.call, dry_run=False)
    assignment = Assignment.objects.filter(juror=jury.jurors[2]).first()
    juror = client_for(jury.jurors[2])
    refused = juror.post(
        f"/api/v1/juror/assignments/{assignment.pk}/decline/", {"reason": ""}, format="json"
    )
    assert refused.status_code == 400
    answer = juror.post(
        f"/api/v1/juror/assignments/{assignment.pk}/decline/",
        {"reason": "Travelling for four weeks"},
        format="json",
    )
    assert answer.status_code == 200
    topped = auto(client_for(jury.chair), jury.call, dry_run=False)
    assert len(topped.json()["new_assignments"]) == 1
    [replacement] = topped.json()["new_assignments"]
    assert replacement["submission"] == assignment.submission_id
    assert replacement["juror"] != jury.jurors[2].pk


def test_progress_counts_assigned_started_and_completed(jury):
    staff = client_for(jury.staff)
    auto(staff, jury.call, dry_run=False)
    juror = jury.jurors[1]
    first, second = Assignment.objects.filter(juror=juror)[:2]
    ScoreSheet.objects.create(assignment=first, status="submitted")
    ScoreSheet.objects.create(assignment=second)
    rows = {
        r["username"]: r
        for r in staff.get(f"/api/v1/calls/{jury.call.slug}/progress/").json()["jurors"]
    }
    assert rows[juror.username]["assigned"] == 3
    assert rows[juror.username]["started"] == 2 and rows[juror.username]["completed"] == 1
    assert (
        client_for(jury.jurors[1]).get(f"/api/v1/calls/{jury.call.slug}/progress/").status_code
        == 403
    )


def test_the_staff_seat_a_juror_with_expertise_from_the_calls_themes(jury):
    staff = client_for(jury.staff)
    newcomer = JurorProfileFactory().user
    bad = staff.post(
        f"/api/v1/calls/{jury.call.slug}/jurors/",
        {"juror": newcomer.pk, "expertise": ["Astrology"]},
        format="json",
    )
    assert bad.status_code == 400
    answer = staff.post(
        f"/api/v1/calls/{jury.call.slug}/jurors/",
        {
            "juror": newcomer.pk,
            "expertise": ["Governance"],
            "city": "Lima",
            "country": "Peru",
            "affiliation": "PUCP",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["city"] == "Lima"
    listed = staff.get(f"/api/v1/calls/{jury.call.slug}/jurors/").json()
    assert len(listed) == 5
    profile = client_for(newcomer).get("/api/v1/juror/profile/").json()
    assert profile["juries"][0]["call"] == jury.call.slug
    city = client_for(CityContactFactory())
    assert (
        city.post(
            f"/api/v1/calls/{jury.call.slug}/jurors/", {"juror": newcomer.pk}, format="json"
        ).status_code
        == 403
    )


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_endpoints_do_not_grow_in_queries_with_rows(make_jury):
    small, large = make_jury(entries=3, jurors=3), make_jury(entries=12, jurors=6)
    for jury in (small, large):
        auto(client_for(jury.staff), jury.call, dry_run=False)
    for url in (
        "/api/v1/calls/{}/assignments/",
        "/api/v1/calls/{}/progress/",
        "/api/v1/calls/{}/jurors/",
        "/api/v1/conflicts/?call={}",
    ):
        few = _list_queries(client_for(small.staff), url.format(small.call.slug))
        many = _list_queries(client_for(large.staff), url.format(large.call.slug))
        assert few == many, url
    few = _list_queries(client_for(small.jurors[1]), "/api/v1/juror/assignments/")
    many = _list_queries(client_for(large.jurors[1]), "/api/v1/juror/assignments/")
    assert few == many


def test_auto_assignment_on_the_2014_award_demo_is_balanced_and_conflict_free(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    staff = client_for(User.objects.get(username="secretariat"))
    ScoreSheet.objects.all().delete()  # the demo's round 1 is already scored: start afresh
    Assignment.objects.all().delete()
    answer = auto(
        staff,
        type("C", (), {"slug": "metropolis-award-2014"}),
        reviewers_per_submission=3,
        max_per_juror=16,
        dry_run=False,
        round=1,
    )
    assert answer.status_code == 201, answer.json()
    plan = answer.json()
    assert len(plan["new_assignments"]) == 120
    assert plan["load_max"] - plan["load_min"] <= 1
    pairs = set(Assignment.objects.values_list("submission_id", "juror_id"))
    conflicts = set(
        Conflict.objects.filter(dismissed_at__isnull=True).values_list("submission_id", "juror_id")
    )
    assert conflicts and not pairs & conflicts
