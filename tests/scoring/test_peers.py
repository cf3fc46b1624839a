"""Other jurors' scores: after one's own submission, where the call allows it, never conflicted."""

import pytest

from tests.factories import ConflictFactory
from tests.support.clients import client_for
from tests.worlds import FULL, JudgedCall

pytestmark = pytest.mark.django_db


def peers(user, sheet):
    return client_for(user).get(f"/api/v1/score-sheets/{sheet['id']}/peers/")


def scored_panel(**call):
    """On the first entry: the third juror submitted, the second saved a full draft."""
    panel = JudgedCall.panel(jurors_see_other_scores=True, **call)
    second, third = panel.jurors[1], panel.jurors[2]
    mine = panel.put(second, panel.open(second))
    panel.submitted_sheet(third, scores=[{**FULL[0], "value": 3}, *FULL[1:]])
    return panel, mine.json()


def test_a_juror_sees_other_scores_only_after_submitting_their_own():
    panel, mine = scored_panel()
    juror = panel.jurors[1]
    answer = peers(juror, mine)
    assert (
        answer.status_code == 403
        and "Submit your own sheet first" in answer.json()["error"]["message"]
    )
    panel.submit(juror, mine)
    answer = peers(juror, mine)
    assert answer.status_code == 200, answer.json()
    sheets = answer.json()["sheets"]
    assert [s["juror"] for s in sheets] == [panel.jurors[2].pk]
    assert sheets[0]["scores"][0] == {"criterion": "impact", "value": 3, "comment": ""}


def test_drafts_of_other_jurors_are_never_shown():
    panel, mine = scored_panel()
    panel.open(panel.chair)  # the chair opened a draft on the same entry
    panel.submit(panel.jurors[1], mine)
    sheets = peers(panel.jurors[1], mine).json()["sheets"]
    assert panel.chair.pk not in {s["juror"] for s in sheets}


def test_no_juror_sees_other_scores_where_the_call_does_not_allow_it():
    panel, mine = scored_panel()
    panel.call.jurors_see_other_scores = False
    panel.call.save()
    panel.submit(panel.jurors[1], mine)
    answer = peers(panel.jurors[1], mine)
    assert answer.status_code == 403 and "do not see" in answer.json()["error"]["message"]
    assert peers(panel.chair, mine).status_code == 200  # the chair runs the jury


def test_never_on_a_conflicted_entry_even_with_a_submitted_sheet():
    panel, mine = scored_panel()
    juror = panel.jurors[1]
    panel.submit(juror, mine)
    ConflictFactory(submission=panel.entries[0], juror=juror, call=panel.call)
    assert peers(juror, mine).status_code == 404
    ConflictFactory(submission=panel.entries[0], juror=panel.chair, call=panel.call)
    assert peers(panel.chair, mine).status_code == 404


def test_a_juror_cannot_ask_for_the_peers_of_someone_elses_sheet():
    panel, mine = scored_panel()
    assert peers(panel.jurors[2], mine).status_code == 404
