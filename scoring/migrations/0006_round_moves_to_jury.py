"""Round now belongs to jury (jury/migrations/0003): the rubric's criteria point to it there, and
scoring forgets the model. State only: the table `scoring_round` and its rows stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jury", "0003_round_moves_to_jury"),
        ("scoring", "0005_sheets_drafts_and_rubric_lock"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="criterion",
                    name="round",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="criteria",
                        to="jury.round",
                    ),
                ),
                migrations.DeleteModel(name="Round"),
            ],
            database_operations=[],
        ),
    ]
