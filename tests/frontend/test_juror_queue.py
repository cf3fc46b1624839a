"""The juror's queue (issue 14, item 1): open work first with finished rounds folded, "3 of 6"
with previous and next, "Save and next", the confirmation before a sheet locks, the first
submit naming every empty criterion, no "Draft saved" on an entry only opened, the weighted
total of the saved sheet."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jury.models import Assignment
from scoring.models import ScoreSheet
from tests.factories import (
    AttachmentFactory,
    EligibleSubmissionFactory,
    OrganizationFactory,
    RoundFactory,
)
from tests.worlds import JudgedCall, add_rubric

pytestmark = pytest.mark.django_db


def _queue(jurors=2, entries=4):
    """One juror on every entry of a round (the world's second juror), in assignment order."""
    world = JudgedCall(entries=entries, jurors=jurors)
    world.assign_everyone()
    juror = world.jurors[1]
    mine = list(Assignment.objects.filter(juror=juror).order_by("id"))
    return world, juror, mine


def _post(world, version, action, **overrides):
    data = {"version": version, "comment": "", "action": action}
    for criterion in world.criteria:
        data[f"value_{criterion.key}"] = "7"
        data[f"comment_{criterion.key}"] = "Clear results."
    data.update(overrides)
    return data


def _version(client, assignment) -> int:
    client.get(f"/juror/assignments/{assignment.pk}/")
    return ScoreSheet.objects.get(assignment=assignment).version


def _rows(html: str) -> list[str]:
    """(state, assignment id) of each row of the home page, in order."""
    return re.findall(r'<tr data-state="(\w+)">.*?/juror/assignments/(\d+)/', html, re.S)


def test_the_home_lists_drafts_then_untouched_then_submitted_and_folds_finished_rounds(page):
    world, juror, mine = _queue()
    client = page(juror)
    # entry 3 holds a draft, entry 2 is submitted, entry 0 was only opened, entry 1 untouched
    client.post(
        f"/juror/assignments/{mine[3].pk}/",
        _post(world, _version(client, mine[3]), "save", value_transfer=""),
    )
    client.post(
        f"/juror/assignments/{mine[2].pk}/",
        _post(world, _version(client, mine[2]), "submit", confirm_lock="1"),
    )
    client.get(f"/juror/assignments/{mine[0].pk}/")
    # a finished round of another call (its jury deadline passed), and a later open round
    past = JudgedCall(entries=1, jurors=0)
    past.round.jury_deadline = timezone.now() - timedelta(days=1)
    past.round.save()
    Assignment.objects.create(round=past.round, submission=past.entries[0], juror=juror)
    later = JudgedCall(entries=1, jurors=0, jury_deadline_in=timedelta(days=60))
    Assignment.objects.create(round=later.round, submission=later.entries[0], juror=juror)

    html = client.get("/juror/").content.decode()
    rows = _rows(html)
    assert rows[:4] == [
        ("draft", str(mine[3].pk)),
        ("untouched", str(mine[0].pk)),
        ("untouched", str(mine[1].pk)),
        ("submitted", str(mine[2].pk)),
    ]
    assert rows[4][0] == "untouched"  # the round due later comes after
    # the finished round is inside a closed <details>, after the open ones
    folded = html.index('<details class="finished-rounds">')
    assert html.index(past.round.name) > folded or past.call.title in html[folded:]
    assert '<details class="finished-rounds" open' not in html
    # the first button goes straight to the draft
    assert (
        f'class="button primary" href="/juror/assignments/{mine[3].pk}/">Continue scoring' in html
    )


def test_opening_an_entry_shows_not_started_never_draft_saved(page):
    world, juror, mine = _queue()
    client = page(juror)
    html = client.get(f"/juror/assignments/{mine[0].pk}/").content.decode()
    assert "Draft saved" not in html and "Not started" in html
    assert ScoreSheet.objects.filter(assignment=mine[0]).exists()  # the sheet is open
    assert "Draft saved" not in client.get("/juror/").content.decode()
    client.post(f"/juror/assignments/{mine[0].pk}/", _post(world, 1, "save"))
    assert "Draft saved" in client.get(f"/juror/assignments/{mine[0].pk}/").content.decode()


def test_the_score_page_shows_its_position_with_previous_and_next(page):
    _world, juror, mine = _queue()
    html = page(juror).get(f"/juror/assignments/{mine[2].pk}/").content.decode()
    assert "3 of 4" in html
    assert f'href="/juror/assignments/{mine[1].pk}/" rel="prev"' in html
    assert f'href="/juror/assignments/{mine[3].pk}/" rel="next"' in html
    first = page(juror).get(f"/juror/assignments/{mine[0].pk}/").content.decode()
    assert "1 of 4" in first and 'rel="prev"' not in first


def test_save_and_next_writes_the_draft_and_opens_the_next_entry_to_score(page):
    world, juror, mine = _queue()
    client = page(juror)
    # entry 1 is already submitted: "next" skips it
    client.post(
        f"/juror/assignments/{mine[1].pk}/",
        _post(world, _version(client, mine[1]), "submit", confirm_lock="1"),
    )
    answer = client.post(
        f"/juror/assignments/{mine[0].pk}/",
        _post(world, _version(client, mine[0]), "next", value_impact="9"),
    )
    assert answer.status_code == 302 and answer["Location"] == f"/juror/assignments/{mine[2].pk}/"
    sheet = ScoreSheet.objects.get(assignment=mine[0])
    assert sheet.status == "draft" and sheet.scores.get(criterion__key="impact").value == 9
    followed = client.get(answer["Location"]).content.decode()
    assert "Your draft scores for entry" in followed and "3 of 4" in followed


def test_submitting_lands_on_the_next_entry_to_score_then_on_the_list(page):
    world, juror, mine = _queue(entries=2)
    client = page(juror)
    first = client.post(
        f"/juror/assignments/{mine[0].pk}/",
        _post(world, _version(client, mine[0]), "submit", confirm_lock="1"),
    )
    assert first["Location"] == f"/juror/assignments/{mine[1].pk}/"
    assert "are submitted" in client.get(first["Location"]).content.decode()
    last = client.post(
        f"/juror/assignments/{mine[1].pk}/",
        _post(world, _version(client, mine[1]), "submit", confirm_lock="1"),
    )
    assert last["Location"] == "/juror/"
    assert "Every entry of this round is scored" in client.get("/juror/").content.decode()


def test_submitting_needs_the_confirmation_and_says_every_empty_criterion_at_once(page):
    world, juror, mine = _queue()
    client = page(juror)
    version = _version(client, mine[0])
    empty = {f"value_{c.key}": "" for c in world.criteria}
    answer = client.post(
        f"/juror/assignments/{mine[0].pk}/", _post(world, version, "submit", **empty)
    )
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "Tick this box to submit your scores." in html
    for criterion in world.criteria:  # each empty criterion named by its own field
        assert re.search(
            rf'id="id_value_{criterion.key}_error".*?Give a score for', html, re.S
        ) or f"Give a score for {criterion.label}" in html.replace("&#x27;", "'")
    sheet = ScoreSheet.objects.get(assignment=mine[0])
    assert sheet.status == "draft" and sheet.version == version  # nothing written
    # confirmed, but still empty: every criterion again, on this first confirmed try
    confirmed = client.post(
        f"/juror/assignments/{mine[0].pk}/",
        _post(world, version, "submit", confirm_lock="1", **empty),
    )
    text = confirmed.content.decode().replace("&#x27;", "'")
    assert confirmed.status_code == 400
    assert all(f"Give a score for {c.label}" in text for c in world.criteria)
    # complete and confirmed: locked
    done = client.post(
        f"/juror/assignments/{mine[0].pk}/", _post(world, version, "submit", confirm_lock="1")
    )
    assert done.status_code == 302
    assert ScoreSheet.objects.get(assignment=mine[0]).status == "submitted"


def test_the_page_shows_the_saved_sheets_weighted_total_and_the_weights_for_the_script(page):
    world, juror, mine = _queue()
    client = page(juror)
    # impact weighs 2: (2 * 9 + 6 + 6) / 4 = 7.5
    client.post(
        f"/juror/assignments/{mine[0].pk}/",
        _post(
            world,
            _version(client, mine[0]),
            "save",
            value_impact="9",
            value_innovation="6",
            value_transfer="6",
        ),
    )
    html = client.get(f"/juror/assignments/{mine[0].pk}/").content.decode()
    assert re.search(r"data-saved-total>7\.50<", html)
    assert 'data-weight="2"' in html and 'data-weight="1"' in html


def test_the_pdf_reader_sits_beside_the_rubric_with_a_download_link(page):
    _world, juror, mine = _queue()
    file = AttachmentFactory(submission=mine[0].submission)
    html = page(juror).get(f"/juror/assignments/{mine[0].pk}/").content.decode()
    assert f'data-pdf-url="/api/v1/attachments/{file.pk}/pdf/"' in html
    assert "reading-desk with-document" in html
    assert f'href="/api/v1/attachments/{file.pk}/download/" download' in html
    assert "pdf-reader.mjs" in html
    bare = page(juror).get(f"/juror/assignments/{mine[1].pk}/").content.decode()
    assert "data-pdf-viewer" not in bare and "pdf-reader.mjs" not in bare


def test_a_later_round_has_its_own_queue(page):
    world, juror, _mine = _queue(entries=2)
    second = RoundFactory(call=world.call, number=2, name="Final round")
    add_rubric(second)
    later = Assignment.objects.create(round=second, submission=world.entries[0], juror=juror)
    html = page(juror).get(f"/juror/assignments/{later.pk}/").content.decode()
    assert "1 of 1" in html and 'rel="next"' not in html


def test_the_score_page_and_the_message_preview_do_not_grow_with_the_queue_or_the_audience(page):
    world, juror, mine = _queue(entries=2)
    client = page(juror)
    url = f"/juror/assignments/{mine[0].pk}/"
    staff = page(world.staff)
    preview = f"/secretariat/calls/{world.call.slug}/messages/"
    form = {"audience": "jurors", "subject": "S", "body": "B", "action": "preview"}

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as reading:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as previewing:
            assert staff.post(preview, form).status_code == 200
        return len(reading.captured_queries), len(previewing.captured_queries)

    count()  # the sheet is opened once
    few = count()
    for _ in range(5):
        entry = EligibleSubmissionFactory(call=world.call, organization=OrganizationFactory())
        Assignment.objects.create(round=world.round, submission=entry, juror=juror)
        world.seat_juror()
    assert count() == few
