"""Round moves from scoring to jury (jury reads rounds, scoring builds on them): the table
`scoring_round` and its two link tables keep their names and their rows; only Django's idea of
which app owns the model changes (state only), and the content type follows, so that
permissions and admin history stay attached. scoring/migrations/0006 removes it from scoring."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_to(app_label: str, other: str):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        if not ContentType.objects.filter(app_label=app_label, model="round").exists():
            ContentType.objects.filter(app_label=other, model="round").update(app_label=app_label)

    return move


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("jury", "0002_initial"),
        ("scoring", "0005_sheets_drafts_and_rubric_lock"),
        ("submissions", "0003_outbox_queue_user_language_upload_verification"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Round",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("number", models.PositiveSmallIntegerField()),
                        ("name", models.CharField(max_length=120)),
                        ("jury_deadline", models.DateTimeField()),
                        ("results_released_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "rubric_locked_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="When the first sheet of the round was submitted: the "
                                "rubric is fixed from then.",
                                null=True,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "call",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="rounds",
                                to="submissions.call",
                            ),
                        ),
                        (
                            "entries",
                            models.ManyToManyField(
                                blank=True,
                                help_text="Entries of a later round; round 1 takes every eligible "
                                "entry.",
                                related_name="rounds",
                                to="submissions.submission",
                            ),
                        ),
                        (
                            "jurors",
                            models.ManyToManyField(
                                blank=True,
                                help_text="The jury of this round; empty means the whole jury of "
                                "the call.",
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "scoring_round",
                        "ordering": ["call", "number"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("call", "number"), name="round_numbers_unique_per_call"
                            )
                        ],
                    },
                ),
                migrations.AlterField(
                    model_name="assignment",
                    name="round",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assignments",
                        to="jury.round",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            content_type_to("jury", "scoring"), content_type_to("scoring", "jury"), elidable=True
        ),
    ]
