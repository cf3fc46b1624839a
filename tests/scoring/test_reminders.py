"""send_reminders: jurors with sheets left and cities with drafts, as deadlines near; once per
window, whatever the number of runs."""

import zoneinfo
from datetime import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from jury.models import Assignment
from scoring.models import ScoreSheet
from scoring.reminders import window
from submissions.models import DeadlineExtension, OutboxMessage
from tests.factories import (
    CallFactory,
    CityContactFactory,
    ConflictFactory,
    OrganizationFactory,
    SubmissionFactory,
)
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def remind(moment: str, *args) -> str:
    out = StringIO()
    call_command("send_reminders", f"--now={moment}", *args, stdout=out)
    return out.getvalue()


def sent_to(kind: str) -> list[str]:
    return sorted(OutboxMessage.objects.filter(kind=kind).values_list("to", flat=True))


def test_the_window_counts_calendar_days_in_the_calls_zone():
    deadline = datetime(2030, 7, 15, 23, 59, tzinfo=MADRID)
    assert window(deadline, datetime(2030, 7, 5, 12, tzinfo=MADRID), MADRID) is None
    assert window(deadline, datetime(2030, 7, 8, 0, 1, tzinfo=MADRID), MADRID) == 7
    assert window(deadline, datetime(2030, 7, 12, 9, tzinfo=MADRID), MADRID) == 3
    assert window(deadline, datetime(2030, 7, 15, 9, tzinfo=MADRID), MADRID) == 1
    assert window(deadline, datetime(2030, 7, 16, 0, 0, tzinfo=MADRID), MADRID) is None


@pytest.fixture
def panel():
    """Juror 1 submitted everything, juror 2 has drafts, juror 3 has not opened a sheet."""
    panel = JudgedCall.panel(n_entries=2)
    panel.round.jury_deadline = datetime(2030, 7, 15, 23, 59, tzinfo=MADRID)
    panel.round.save()
    done, drafting = panel.jurors[0], panel.jurors[1]
    for entry in panel.entries:
        ScoreSheet.objects.create(assignment=panel.assignment(done, entry), status="submitted")
        ScoreSheet.objects.create(assignment=panel.assignment(drafting, entry))
    return panel


def test_jurors_with_work_left_are_reminded_once_a_day_at_most_and_again_in_the_next_window(
    panel, django_capture_on_commit_callbacks
):
    expected = sorted(j.email for j in panel.jurors[1:])
    with django_capture_on_commit_callbacks(execute=True):
        remind("2030-07-12T09:00:00+02:00")
    assert sent_to("reminder.juror") == expected
    assert len(mail.outbox) == 2 and "Scores due within 3 days" in mail.outbox[0].subject
    body = next(m.body for m in mail.outbox if m.to == [panel.jurors[2].email])
    assert "2 entries are still to score" in body and "2 of them not opened yet" in body
    assert "15 July 2030 23:59 CEST" in body
    remind("2030-07-12T18:00:00+02:00")  # the same day: nothing new
    remind("2030-07-13T09:00:00+02:00")  # next day, still the 3-day window: nothing new
    assert len(sent_to("reminder.juror")) == 2
    remind("2030-07-14T09:00:00+02:00")  # the 1-day window: again
    remind("2030-07-14T21:00:00+02:00")
    assert sent_to("reminder.juror") == sorted(expected * 2)
    remind("2030-07-16T09:00:00+02:00")  # after the deadline: silence
    assert len(sent_to("reminder.juror")) == 4


def test_no_reminder_long_before_the_deadline_nor_for_declined_or_conflicted_work(panel):
    remind("2030-07-01T09:00:00+02:00")
    assert sent_to("reminder.juror") == []
    last = panel.jurors[2]
    Assignment.objects.filter(juror=last, submission=panel.entries[0]).update(
        declined_at=datetime(2030, 7, 1, tzinfo=MADRID)
    )
    ConflictFactory(juror=last, submission=panel.entries[1], call=panel.call)
    remind("2030-07-10T09:00:00+02:00")
    assert sent_to("reminder.juror") == [panel.jurors[1].email]


def test_a_later_jury_deadline_starts_the_windows_afresh(panel):
    remind("2030-07-14T09:00:00+02:00")
    panel.round.jury_deadline = datetime(2030, 7, 20, 23, 59, tzinfo=MADRID)
    panel.round.save()
    remind("2030-07-14T10:00:00+02:00")
    assert len(sent_to("reminder.juror")) == 4


def test_a_dry_run_lists_and_sends_nothing(panel):
    out = remind("2030-07-12T09:00:00+02:00", "--dry-run")
    assert out.count("would send reminder.juror") == 2
    assert not OutboxMessage.objects.exists()


def test_cities_with_drafts_are_reminded_by_the_deadline_in_force_after_an_extension():
    call = CallFactory(
        opens_at=datetime(2030, 1, 1, tzinfo=MADRID),
        deadline=datetime(2030, 5, 30, 23, 59, 59, tzinfo=MADRID),
    )
    on_time, extended, done = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    contacts = {org: CityContactFactory(organization=org) for org in (on_time, extended, done)}
    SubmissionFactory(call=call, organization=on_time, title="Superblocks")
    SubmissionFactory(call=call, organization=on_time, title="Energy advice points")
    SubmissionFactory(call=call, organization=extended)
    SubmissionFactory(call=call, organization=done, status="submitted")
    DeadlineExtension.objects.create(
        call=call,
        organization=extended,
        previous_deadline=call.deadline,
        deadline=datetime(2030, 6, 15, 23, 59, 59, tzinfo=MADRID),
        reason="Flooding closed the city hall.",
    )
    remind("2030-05-28T09:00:00+02:00")
    remind("2030-05-28T10:00:00+02:00")
    assert sent_to("reminder.draft") == [contacts[on_time].email]
    message = OutboxMessage.objects.get(kind="reminder.draft")
    assert "2 drafts" in message.body and "Superblocks" in message.body
    assert "30 May 2030 23:59 CEST" in message.body
    remind("2030-06-13T09:00:00+02:00")
    assert sent_to("reminder.draft") == sorted([contacts[on_time].email, contacts[extended].email])
    extended_message = OutboxMessage.objects.get(to=contacts[extended].email)
    assert "15 June 2030 23:59 CEST" in extended_message.body


def test_the_command_is_fit_for_cron_without_arguments(panel):
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "reminders sent" in out.getvalue()
