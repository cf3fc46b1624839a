from django.conf import settings
from django.db import models


class Criterion(models.Model):
    """One line of a round's rubric."""

    # What a rubric edit may change; the key names the criterion and stays.
    RUBRIC_FIELDS = (
        "label",
        "description",
        "weight",
        "min_value",
        "max_value",
        "step",
        "levels",
        "comment_required",
    )

    round = models.ForeignKey("jury.Round", on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=60)
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.DecimalField(max_digits=6, decimal_places=3, default=1)
    min_value = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    max_value = models.DecimalField(max_digits=6, decimal_places=2, default=10)
    step = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    levels = models.JSONField(
        default=list,
        blank=True,
        help_text='Level descriptors: [{"min": 1, "max": 3, "label": "weak", "description": ""}]',
    )
    comment_required = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="criterion_key_unique_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.label}"


class ScoreSheet(models.Model):
    """A juror's scores for one assignment."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    assignment = models.OneToOneField(
        "jury.Assignment", on_delete=models.PROTECT, related_name="sheet"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"sheet {self.pk} ({self.status})"


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    # Empty in a draft where the juror wrote a comment before choosing a value.
    value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["sheet", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.key}={self.value}"


class ScoreChange(models.Model):
    """Every change to a sheet: who, when, old value, new value."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    field = models.CharField(max_length=80, help_text="criterion key, 'comment' or 'status'")
    old_value = models.TextField(blank=True, null=True)
    new_value = models.TextField(blank=True, null=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} -> {self.new_value}"


class Decision(models.Model):
    """The Board's decision on one entry, with its rationale."""

    class Outcome(models.TextChoices):
        AWARDED = "awarded", "Awarded"
        SPECIAL_MENTION = "special_mention", "Special mention"
        SELECTED = "selected", "Selected"
        NOT_SELECTED = "not_selected", "Not selected"

    call = models.ForeignKey("submissions.Call", on_delete=models.CASCADE, related_name="decisions")
    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call", "submission_id"]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.outcome}"


class DiscussionPost(models.Model):
    """One message in the jury's discussion of an entry in a round (docs/deliberation.md).

    A post is never edited nor deleted: what the jury said stays as it was said, and a
    correction is a new post. Each post is also written to the audit trail."""

    round = models.ForeignKey("jury.Round", on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["round", "submission", "created_at"], name="post_thread_order")
        ]

    def __str__(self) -> str:
        return f"post {self.pk} on {self.submission_id} (round {self.round_id})"


class ConsensusNote(models.Model):
    """What the jury agreed on an entry in a round, as its chair words it: one per round and
    entry; every change is an audit event holding the text before and after."""

    round = models.ForeignKey("jury.Round", on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "submission_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "submission"], name="one_consensus_note_per_entry_and_round"
            )
        ]

    def __str__(self) -> str:
        return f"consensus on {self.submission_id} (round {self.round_id})"
