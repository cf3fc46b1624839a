from django.conf import settings
from django.db import models


class Round(models.Model):
    """A judging round: round 1 takes every eligible entry, later ones a shortlist."""

    call = models.ForeignKey("submissions.Call", on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    jury_deadline = models.DateTimeField()
    entries = models.ManyToManyField(
        "submissions.Submission",
        blank=True,
        related_name="rounds",
        help_text="Entries of a later round; round 1 takes every eligible entry.",
    )
    jurors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="The jury of this round; empty means the whole jury of the call.",
    )
    results_released_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="round_numbers_unique_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.call.slug} round {self.number}"
