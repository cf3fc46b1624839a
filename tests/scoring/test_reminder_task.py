"""The scheduler's reminder task (issue 11, item 1): idempotent, in each juror's language."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from scoring import tasks
from scoring.models import ScoreSheet
from submissions.models import OutboxMessage
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db


def test_beat_running_the_reminders_twice_sends_each_once_in_the_jurors_language(
    django_capture_on_commit_callbacks,
):
    panel = JudgedCall.panel(n_entries=1)
    panel.round.jury_deadline = timezone.now() + timedelta(days=2)
    panel.round.save()
    [entry] = panel.entries
    french, spanish = panel.jurors[1], panel.jurors[2]
    french.language, spanish.language = "fr", "es"
    french.save(update_fields=["language"])
    spanish.save(update_fields=["language"])
    ScoreSheet.objects.create(
        assignment=panel.assignment(panel.jurors[0], entry), status="submitted"
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.send_reminders.apply().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.send_reminders.apply().get()
    assert first == len(panel.jurors) - 1 and second == 0
    assert OutboxMessage.objects.filter(kind="reminder.juror").count() == first
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert by_recipient[french.email].subject.startswith("Notes attendues dans 3 jours au plus")
    assert "reste à évaluer" in by_recipient[french.email].body
    assert by_recipient[spanish.email].subject.startswith("Puntuaciones pendientes en 3 días")
    assert "Queda 1 candidatura por evaluar" in by_recipient[spanish.email].body
