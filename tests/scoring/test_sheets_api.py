"""Score sheets: open, save a draft from several tabs, submit, reopen; bad input and audit."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from jury.models import Assignment
from scoring import sheets
from scoring.models import Score, ScoreChange, ScoreSheet
from submissions.errors import PreconditionFailed
from tests.factories import ConflictFactory, JurorFactory
from tests.support.clients import client_for
from tests.worlds import FULL, JudgedCall

pytestmark = pytest.mark.django_db


def values(sheet: dict) -> dict:
    return {score["criterion"]: score["value"] for score in sheet["scores"]}


# --- opening and listing ------------------------------------------------------------------------


def test_a_sheet_is_created_when_the_juror_first_opens_the_assignment_and_only_once():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    assert not ScoreSheet.objects.exists()
    first = panel.open(juror)
    again = panel.open(juror)
    assert first["id"] == again["id"] and ScoreSheet.objects.count() == 1
    assert first["status"] == "draft" and first["version"] == 1 and first["scores"] == []
    assert first["etag"] == f'"sheet-{first["id"]}-v1"'
    assert first["submission"] == panel.entries[0].pk and first["round"] == 1


def test_a_juror_cannot_open_a_sheet_for_an_assignment_of_someone_else_or_a_conflicted_one():
    panel = JudgedCall.panel()
    juror, other = panel.jurors[1], panel.jurors[2]
    assignment = panel.assignment(other)
    answer = client_for(juror).get(f"/api/v1/juror/assignments/{assignment.pk}/sheet/")
    assert answer.status_code == 404
    ConflictFactory(submission=panel.entries[1], juror=juror, call=panel.call)
    mine = panel.assignment(juror, panel.entries[1])
    answer = client_for(juror).get(f"/api/v1/juror/assignments/{mine.pk}/sheet/")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "no_assignment"


def test_the_list_shows_a_juror_their_own_sheets_and_a_chair_the_calls_minus_conflicts():
    panel = JudgedCall.panel()
    for juror in panel.jurors:
        for entry in panel.entries:
            panel.open(juror, entry)
    juror = panel.jurors[1]
    mine = client_for(juror).get("/api/v1/score-sheets/").json()
    assert mine["count"] == 3 and {row["juror"] for row in mine["results"]} == {juror.pk}
    ConflictFactory(submission=panel.entries[2], juror=panel.chair, call=panel.call)
    chaired = client_for(panel.chair).get(f"/api/v1/score-sheets/?call={panel.call.slug}").json()
    assert chaired["count"] == 6
    assert panel.entries[2].pk not in {row["submission"] for row in chaired["results"]}
    assert client_for(panel.staff).get("/api/v1/score-sheets/").json()["count"] == 9
    assert client_for(JurorFactory()).get("/api/v1/score-sheets/").json()["count"] == 0
    other = panel.open(panel.jurors[2])
    assert client_for(juror).get(f"/api/v1/score-sheets/{other['id']}/").status_code == 404


def test_the_list_filters_by_call_round_and_status():
    panel = JudgedCall.panel()
    panel.submitted_sheet(panel.jurors[1])
    panel.open(panel.jurors[1], panel.entries[1])
    staff = client_for(panel.staff)
    url = f"/api/v1/score-sheets/?call={panel.call.slug}&round=1"
    assert staff.get(url).json()["count"] == 2
    assert staff.get(url + "&status=submitted").json()["count"] == 1
    assert staff.get(url + "&status=draft").json()["count"] == 1
    assert staff.get("/api/v1/score-sheets/?round=2").json()["count"] == 0
    assert staff.get("/api/v1/score-sheets/?call=elsewhere").json()["count"] == 0


def _list_queries(user) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/v1/score-sheets/?page_size=500")
    assert answer.status_code == 200
    return len(queries)


def test_the_sheet_list_makes_the_same_number_of_queries_for_few_and_many_sheets():
    small, large = (
        JudgedCall.panel(n_entries=1, n_jurors=2),
        JudgedCall.panel(n_entries=8, n_jurors=4),
    )
    for panel in (small, large):
        for assignment in panel.assignments.values():
            sheet = ScoreSheet.objects.create(assignment=assignment)
            for criterion in panel.criteria:
                Score.objects.create(sheet=sheet, criterion=criterion, value=5)
    assert ScoreSheet.objects.count() == 2 + 32
    for few, many in [
        (small.staff, large.staff),
        (small.chair, large.chair),
        (small.jurors[1], large.jurors[1]),
    ]:
        assert _list_queries(few) == _list_queries(many)


# --- saving drafts ------------------------------------------------------------------------------


def test_a_draft_is_saved_with_a_new_version_and_etag():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.open(juror)
    answer = panel.put(juror, sheet, FULL[:2], comment="First reading.")
    assert answer.status_code == 200, answer.json()
    saved = answer.json()
    assert values(saved) == {"impact": 7.5, "innovation": 6}
    assert saved["version"] == 2 and saved["comment"] == "First reading."
    assert answer["ETag"] == f'"sheet-{sheet["id"]}-v2"' == saved["etag"]
    fetched = client_for(juror).get(f"/api/v1/score-sheets/{sheet['id']}/")
    assert fetched["ETag"] == answer["ETag"] and values(fetched.json()) == values(saved)


def test_repeating_the_same_save_changes_nothing_whatever_version_it_carries():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.open(juror)
    first = panel.put(juror, sheet).json()
    retried = panel.put(juror, sheet)  # the autosave's retry, with the version it started from
    assert retried.status_code == 200
    assert retried.json()["version"] == first["version"] == 2
    assert ScoreChange.objects.filter(sheet_id=sheet["id"]).count() == 1 + 4  # opened + 4 lines


def test_put_replaces_the_draft_and_patch_changes_only_what_it_names():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.put(juror, panel.open(juror), comment="Keep me").json()
    client = client_for(juror)
    patched = client.patch(
        f"/api/v1/score-sheets/{sheet['id']}/",
        {"scores": [{"criterion": "innovation", "value": 9}], "version": sheet["version"]},
        format="json",
    ).json()
    assert values(patched) == {"impact": 7.5, "innovation": 9, "inclusion": 8}
    assert patched["comment"] == "Keep me"
    cleared = client.patch(
        f"/api/v1/score-sheets/{sheet['id']}/",
        {"scores": [{"criterion": "impact", "value": None}], "version": patched["version"]},
        format="json",
    ).json()
    assert values(cleared) == {"innovation": 9, "inclusion": 8}
    replaced = panel.put(juror, cleared, [{"criterion": "impact", "value": 3}]).json()
    assert values(replaced) == {"impact": 3} and replaced["comment"] == ""


def test_a_comment_can_be_saved_before_a_value_is_chosen():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.open(juror)
    saved = panel.put(juror, sheet, [{"criterion": "inclusion", "comment": "Thinking..."}]).json()
    assert saved["scores"] == [{"criterion": "inclusion", "value": None, "comment": "Thinking..."}]


def test_two_tabs_never_overwrite_each_other_the_stale_one_gets_412_and_nothing_is_saved():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    tab_a = panel.open(juror)
    tab_b = panel.open(juror)
    saved = panel.put(juror, tab_a, [{"criterion": "impact", "value": 8}])
    assert saved.status_code == 200
    stale = panel.put(juror, tab_b, [{"criterion": "impact", "value": 2}])
    assert stale.status_code == 412
    error = stale.json()["error"]
    assert error["code"] == "stale_version" and "another tab" in error["message"]
    assert values(client_for(juror).get(f"/api/v1/score-sheets/{tab_a['id']}/").json()) == {
        "impact": 8
    }
    assert not ScoreChange.objects.filter(sheet_id=tab_a["id"], new_value="2").exists()


def test_if_match_carries_the_version_and_a_stale_etag_is_refused():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.open(juror)
    fresh = panel.put(juror, sheet, HTTP_IF_MATCH=sheet["etag"])
    assert fresh.status_code == 200, fresh.json()
    stale = panel.put(
        juror, sheet, [{"criterion": "impact", "value": 1}], HTTP_IF_MATCH=sheet["etag"]
    )
    assert stale.status_code == 412
    assert panel.put(juror, sheet, HTTP_IF_MATCH='"sheet-999-v2"').status_code == 412
    assert panel.put(juror, sheet, HTTP_IF_MATCH="banana").status_code == 400


def test_a_write_without_any_version_is_refused_with_428():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.open(juror)
    answer = client_for(juror).put(
        f"/api/v1/score-sheets/{sheet['id']}/", {"scores": FULL}, format="json"
    )
    assert answer.status_code == 428
    assert answer.json()["error"]["code"] == "version_required"
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ([{"criterion": "impact", "value": 11}], "between 1 and 10"),
        ([{"criterion": "impact", "value": 7.25}], "multiple of 0.5"),
        ([{"criterion": "inclusion", "value": 6.5}], "multiple of 1"),
        ([{"criterion": "beauty", "value": 5}], "Unknown criterion"),
    ],
)
def test_bad_input_gets_a_clear_400_and_nothing_is_half_saved(scores, message):
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.open(juror)
    answer = panel.put(juror, sheet, [FULL[1], *scores], comment="Should not stay")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "invalid_scores" and message in error["message"]
    assert error["fields"]["scores"]
    stored = panel.sheet(sheet)
    assert stored.version == 1 and stored.comment == "" and not stored.scores.exists()


def test_a_value_that_is_not_a_number_is_a_400():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    answer = panel.put(juror, panel.open(juror), [{"criterion": "impact", "value": "high"}])
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid"


def test_only_the_juror_of_the_sheet_writes_it():
    panel = JudgedCall.panel()
    sheet = panel.open(panel.jurors[1])
    for reader in (panel.chair, panel.staff):
        answer = panel.put(reader, sheet)
        assert answer.status_code == 403, reader
    assert panel.put(panel.jurors[2], sheet).status_code == 404


def test_a_juror_loses_write_access_when_a_conflict_is_declared():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.open(juror)
    ConflictFactory(submission=panel.entries[0], juror=juror, call=panel.call)
    assert panel.put(juror, sheet).status_code == 404


def test_a_write_after_the_jury_deadline_is_refused_with_the_deadline_in_the_calls_zone():
    panel = JudgedCall.panel(timezone="Asia/Seoul")
    juror = panel.jurors[1]
    sheet = panel.open(juror)
    panel.round.jury_deadline = panel.round.jury_deadline.replace(
        year=2014, month=7, day=15, hour=14, minute=59, second=0, microsecond=0
    )  # 23:59 in Seoul
    panel.round.save()
    answer = panel.put(juror, sheet)
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert error["code"] == "deadline_passed"
    assert "15 July 2014 23:59 KST" in error["message"]
    assert not Score.objects.exists()


# --- submitting and reopening -------------------------------------------------------------------


def test_submitting_needs_every_criterion_and_the_required_comments():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.put(juror, panel.open(juror), FULL[:2]).json()
    answer = panel.submit(juror, sheet)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "incomplete" and "inclusion" in error["fields"]["scores"]
    no_comment = [*FULL[:2], {"criterion": "inclusion", "value": 8}]
    sheet = panel.put(juror, sheet, no_comment).json()
    answer = panel.submit(juror, sheet)
    assert answer.status_code == 400 and "needs a comment" in answer.json()["error"]["message"]
    assert panel.sheet(sheet).status == "draft"


def test_a_submitted_sheet_is_locked_and_a_later_write_gets_409():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.submitted_sheet(juror)
    assert sheet["status"] == "submitted" and sheet["submitted_at"]
    answer = panel.put(juror, sheet, [{"criterion": "impact", "value": 1}])
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "sheet_submitted"
    assert "reopen" in answer.json()["error"]["message"]
    assert panel.submit(juror, sheet).status_code == 409


def test_submitting_with_a_stale_version_gets_412():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    opened = panel.open(juror)
    panel.put(juror, opened)
    answer = panel.submit(juror, opened)
    assert answer.status_code == 412
    assert panel.sheet(opened).status == "draft"


def test_the_chair_reopens_a_sheet_with_a_reason_and_the_juror_is_told(
    django_capture_on_commit_callbacks,
):
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.submitted_sheet(juror)
    url = f"/api/v1/score-sheets/{sheet['id']}/reopen/"
    assert client_for(juror).post(url, {"reason": "x"}, format="json").status_code == 403
    answer = client_for(panel.chair).post(url, {"reason": " "}, format="json")
    assert answer.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_for(panel.chair).post(
            url, {"reason": "Impact looks mistyped (1 instead of 10?)."}, format="json"
        )
    assert answer.status_code == 200, answer.json()
    reopened = answer.json()
    assert reopened["status"] == "draft" and reopened["version"] == sheet["version"] + 1
    change = ScoreChange.objects.filter(sheet_id=sheet["id"], field="status").last()
    assert (change.old_value, change.new_value, change.actor) == ("submitted", "draft", panel.chair)
    assert "mistyped" in change.reason
    assert mail.outbox and mail.outbox[0].to == [juror.email] and "mistyped" in mail.outbox[0].body
    again = panel.put(juror, reopened, [*FULL[:2], {**FULL[2], "value": 10}])
    assert again.status_code == 200
    assert client_for(panel.chair).post(url, {"reason": "again"}, format="json").status_code == 409


def test_staff_reopen_too_but_a_conflicted_chair_cannot_see_the_sheet():
    panel = JudgedCall.panel()
    sheet = panel.submitted_sheet(panel.jurors[1])
    ConflictFactory(submission=panel.entries[0], juror=panel.chair, call=panel.call)
    url = f"/api/v1/score-sheets/{sheet['id']}/reopen/"
    assert client_for(panel.chair).post(url, {"reason": "r"}, format="json").status_code == 404
    assert client_for(panel.staff).post(url, {"reason": "r"}, format="json").status_code == 200


# --- audit --------------------------------------------------------------------------------------


def test_every_change_is_audited_with_who_when_old_and_new_value():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.put(juror, panel.open(juror), FULL[:1], comment="Draft").json()
    sheet = panel.put(
        juror, sheet, [{"criterion": "impact", "value": 9, "comment": "Revised"}], comment="Final"
    ).json()
    history = client_for(panel.chair).get(f"/api/v1/score-sheets/{sheet['id']}/history/").json()
    rows = [(row["field"], row["old_value"], row["new_value"]) for row in history]
    assert rows == [
        ("status", None, "draft"),
        ("impact", None, "7.5"),
        ("comment", None, "Draft"),
        ("impact", "7.5", "9"),
        ("impact.comment", None, "Revised"),
        ("comment", "Draft", "Final"),
    ]
    assert {row["actor_username"] for row in history} == {juror.username}
    assert all(row["created_at"] for row in history)


def test_declining_after_opening_is_still_possible_and_unassigning_a_scored_sheet_is_not():
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    panel.put(juror, panel.open(juror))
    assignment = panel.assignment(juror)
    answer = client_for(panel.staff).delete(f"/api/v1/assignments/{assignment.pk}/")
    assert answer.status_code == 409
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_an_expired_round_still_lets_a_juror_read_their_sheet():
    panel = JudgedCall.panel(deadline_in=timedelta(days=-1))
    sheet = panel.open(panel.jurors[1])
    assert (
        client_for(panel.jurors[1]).get(f"/api/v1/score-sheets/{sheet['id']}/").status_code == 200
    )


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_instant_on_postgresql_one_wins_the_other_gets_412():
    """Real concurrent transactions: the row lock and the version check let exactly one in."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database has no concurrent writers")
    panel = JudgedCall.panel()
    juror = panel.jurors[1]
    sheet = panel.open(juror)
    start, outcomes = threading.Barrier(2), []

    def save(value):
        try:
            start.wait()
            scores = [{"criterion": "impact", "value": value, "comment": ""}]
            sheets.save_draft(juror, sheet["id"], scores=scores, version=1)
            outcomes.append("saved")
        except PreconditionFailed:
            outcomes.append("stale")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(v,)) for v in (3, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved", "stale"]
    stored = panel.sheet(sheet)
    assert stored.version == 2 and stored.scores.count() == 1
    assert ScoreChange.objects.filter(sheet=stored, field="impact").count() == 1
