"""Migrations: the models and the migrations agree, and moving Round from scoring to jury keeps
every row where it was (its table, its entries and jurors, the rubric and the assignments on it,
and its content type). Runs on SQLite and on PostgreSQL, whichever the suite runs on."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from jury.models import Round

BEFORE_THE_MOVE = [
    ("jury", "0002_initial"),
    ("scoring", "0005_sheets_drafts_and_rubric_lock"),
    ("submissions", "0003_outbox_queue_user_language_upload_verification"),
]


@pytest.mark.django_db
def test_the_models_need_no_new_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_round_moves_to_jury_with_its_rows_from_the_schema_before_the_move():
    old = _migrate(BEFORE_THE_MOVE)
    try:
        now = timezone.now()
        Call = old.get_model("submissions", "Call")
        call = Call.objects.create(
            slug="moved", kind="award", title="Moved", opens_at=now, deadline=now
        )
        organization = old.get_model("submissions", "Organization").objects.create(
            name="Lisboa", city="Lisboa", country="Portugal", region="europe"
        )
        entry = old.get_model("submissions", "Submission").objects.create(
            call=call, organization=organization, title="Tagus", status="shortlisted"
        )
        juror = old.get_model("submissions", "User").objects.create(
            username="j", role="juror", language="en"
        )
        OldRound = old.get_model("scoring", "Round")
        round_ = OldRound.objects.create(
            call=call, number=2, name="Final", jury_deadline=now + timedelta(days=3)
        )
        round_.entries.add(entry)
        round_.jurors.add(juror)
        old.get_model("scoring", "Criterion").objects.create(round=round_, key="impact", label="I")
        old.get_model("jury", "Assignment").objects.create(
            round=round_, submission=entry, juror=juror
        )
        types = old.get_model("contenttypes", "ContentType").objects
        before = types.get(model="round")
        assert before.app_label == "scoring"
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = Round.objects.get(pk=round_.pk)
    assert (moved.number, moved.name, moved.call.slug) == (2, "Final", "moved")
    assert list(moved.entries.values_list("pk", flat=True)) == [entry.pk]
    assert list(moved.jurors.values_list("pk", flat=True)) == [juror.pk]
    assert list(moved.criteria.values_list("key", flat=True)) == ["impact"]
    assert moved.assignments.get().submission_id == entry.pk
    assert Round._meta.db_table == "scoring_round"
    from django.contrib.contenttypes.models import ContentType

    after = ContentType.objects.get(model="round")
    assert (after.pk, after.app_label) == (before.pk, "jury")
