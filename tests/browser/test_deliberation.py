"""Issue 13, item 7 in a real browser: two jurors who submitted their sheets discuss an entry
under it, the chair finds it on the "To discuss" list and records the consensus note, and the
Board reads that note on the entry's page once the round is released."""

import re

import pytest

from jury.models import Assignment
from scoring.models import ConsensusNote, DiscussionPost
from tests.factories import PASSWORD
from tests.worlds import JudgedCall

pytestmark = pytest.mark.browser


@pytest.fixture
def scored(transactional_db):
    """Two entries, every juror on every one, all sheets submitted; expert0 chairs."""
    world = JudgedCall(entries=0, jurors=0, title="Metropolis Awards 2032")
    for n in range(2):
        world.entries.append(world.add_entry(title=f"Plan {n}"))
    for n in range(3):
        world.seat_juror(chair=n == 0, user__username=f"expert{n}")
    world.assign_everyone()
    world.score_all()
    return world


def test_two_jurors_discuss_the_chair_records_the_consensus_and_the_board_reads_it(browser, scored):
    from playwright.sync_api import expect

    entry = scored.entries[0]
    mine = {
        juror.username: Assignment.objects.get(round=scored.round, submission=entry, juror=juror)
        for juror in scored.jurors
    }

    # 1. Two jurors talk under their locked sheets.
    first = browser.signed_in("expert1", PASSWORD)
    first.goto(f"/juror/assignments/{mine['expert1'].pk}/")
    first.get_by_label("Your message to the jury").fill("The results cover one district only.")
    first.get_by_role("button", name="Post the message").click()
    first.wait_for_url(re.compile(r"#discussion$"))
    expect(first.locator("#discussion")).to_contain_text("The results cover one district only.")

    second = browser.signed_in("expert2", PASSWORD)
    second.goto(f"/juror/assignments/{mine['expert2'].pk}/")
    discussion = second.locator("#discussion")
    expect(discussion).to_contain_text("expert1")
    expect(discussion).to_contain_text("The results cover one district only.")
    second.get_by_label("Your message to the jury").fill("Yet the method travels well.")
    second.get_by_role("button", name="Post the message").click()
    expect(second.locator("#discussion")).to_contain_text("Yet the method travels well.")
    assert DiscussionPost.objects.filter(submission=entry).count() == 2

    # 2. The chair finds the entry on the list and records what the jury agreed.
    chair = browser.signed_in("expert0", PASSWORD)
    chair.goto(f"/secretariat/calls/{scored.call.slug}/progress/")
    chair.get_by_role("link", name="The entries to discuss, and their consensus notes").click()
    row = chair.get_by_role("row").filter(has_text="Plan 0")
    expect(row).to_contain_text("Under discussion")
    row.get_by_role("link").click()
    expect(chair.locator("#discussion")).to_contain_text("Yet the method travels well.")
    chair.get_by_label("Consensus note").fill("Strong method, narrow evidence: shortlist.")
    chair.get_by_role("button", name="Record the consensus note").click()
    expect(chair.get_by_text("The consensus note is recorded.")).to_be_visible()
    assert ConsensusNote.objects.get(submission=entry).written_by == scored.chair

    # 3. Once the round is released, the Board reads the note, never the discussion.
    scored.shortlist_and_release(top_n=2)
    board = browser.signed_in(scored.board.username, PASSWORD)
    board.goto(f"/board/calls/{scored.call.slug}/entries/{entry.pk}/")
    consensus = board.locator("#consensus")
    expect(consensus).to_contain_text("Strong method, narrow evidence: shortlist.")
    expect(consensus).to_contain_text("expert0")
    expect(board.locator("body")).not_to_contain_text("Yet the method travels well.")
