from django.conf import settings
from django.db import models


class JurorProfile(models.Model):
    """Who a juror is outside the platform: what conflicts of interest are judged on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="juror_profile"
    )
    affiliation = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.affiliation or self.city})"


class JuryMember(models.Model):
    call = models.ForeignKey("submissions.Call", on_delete=models.CASCADE, related_name="jury")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jury_seats"
    )
    is_chair = models.BooleanField(default=False)
    expertise = models.JSONField(default=list, blank=True, help_text="Themes of the call.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "juror__username"]
        constraints = [
            models.UniqueConstraint(fields=["call", "juror"], name="one_seat_per_juror_and_call")
        ]

    def __str__(self) -> str:
        return f"{self.juror} on {self.call}"


class Conflict(models.Model):
    class Source(models.TextChoices):
        AUTOMATIC = "automatic", "Detected automatically"
        DECLARED = "declared", "Declared by the juror"

    class Rule(models.TextChoices):
        ORGANIZATION = "organization", "Same organization"
        CITY = "city", "Same city"
        COUNTRY = "country", "Same country"
        DECLARED = "declared", "Declared"

    call = models.ForeignKey("submissions.Call", on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="conflicts"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    rule = models.CharField(max_length=14, choices=Rule.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["submission_id", "juror_id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "juror"], name="one_conflict_per_pair")
        ]
        indexes = [models.Index(fields=["juror", "dismissed_at"])]

    def __str__(self) -> str:
        return f"{self.juror} / {self.submission_id} ({self.rule})"

    @property
    def is_active(self) -> bool:
        return self.dismissed_at is None


class Round(models.Model):
    """A judging round: round 1 takes every eligible entry, later ones a shortlist.

    Owned by jury, the lowest app that reads rounds (its assignments are made per round); scoring
    hangs its rubric and sheets on it. The table keeps the name it had under scoring."""

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
    rubric_locked_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the first sheet of the round was submitted: the rubric is fixed from then.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "scoring_round"
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="round_numbers_unique_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.call.slug} round {self.number}"


class Assignment(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", "Manual"
        AUTOMATIC = "automatic", "Automatic"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="assignments"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["submission_id", "juror_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "submission", "juror"], name="one_assignment_per_pair_and_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.juror} reads {self.submission_id}"

    @property
    def is_active(self) -> bool:
        return self.declined_at is None
