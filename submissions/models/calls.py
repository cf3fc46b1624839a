import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


def validate_timezone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(f"'{name}' is not a time zone name such as Europe/Madrid.")


class Call(models.Model):
    """A call for entries: the Metropolis Award or a call for Metropolis Initiatives."""

    class Kind(models.TextChoices):
        AWARD = "award", "Award"
        INITIATIVE = "initiative", "Initiative"

    class Status(models.TextChoices):
        UPCOMING = "upcoming", "Upcoming"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    themes = models.JSONField(default=list, blank=True)
    opens_at = models.DateTimeField()
    deadline = models.DateTimeField(help_text="The deadline in force for everyone.")
    timezone = models.CharField(
        max_length=64, default="Europe/Madrid", validators=[validate_timezone]
    )

    # Eligibility
    dues_required_through = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Dues must be paid through this year (empty: no rule)."
    )
    partners_allowed = models.BooleanField(default=False)
    max_submissions_per_organization = models.PositiveSmallIntegerField(default=3)

    # Attachment rules
    allowed_content_types = models.JSONField(default=list, blank=True)
    max_file_size = models.PositiveBigIntegerField(default=50 * 1024 * 1024)
    max_attachments = models.PositiveSmallIntegerField(default=10)
    required_document_kinds = models.JSONField(default=list, blank=True)

    # Jury policy
    blind = models.BooleanField(default=False, help_text="Hide who submitted from jurors.")
    conflict_same_country = models.BooleanField(default=False)
    jurors_see_other_scores = models.BooleanField(default=False)

    # Results
    announcement_at = models.DateTimeField(
        null=True, blank=True, help_text="Cities see the Board's decisions from this moment."
    )

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deadline"]

    def __str__(self) -> str:
        return self.title

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def deadline_for(self, organization=None):
        """The deadline in force for an organization: the call's, or a later one granted to it
        alone (the call's own deadline already carries every extension for everyone)."""
        if organization is None:
            return self.deadline
        own = (
            DeadlineExtension.objects.filter(call=self, organization=organization)
            .order_by("-created_at", "-id")
            .values_list("deadline", flat=True)
            .first()
        )
        return max(self.deadline, own) if own else self.deadline

    def status_at(self, now=None, organization=None) -> str:
        """Upcoming, open or closed for this organization (or for everyone): the one rule of
        whether a call accepts entries (submissions.rules.accepts_entries asks here)."""
        now = now or timezone.now()
        if now < self.opens_at:
            return self.Status.UPCOMING
        if now <= self.deadline_for(organization):
            return self.Status.OPEN
        return self.Status.CLOSED

    @property
    def status(self) -> str:
        return self.status_at()


class DeadlineExtension(models.Model):
    """One change of a deadline: for the whole call, or for one organization."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="extensions")
    organization = models.ForeignKey(
        "submissions.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_extensions",
    )
    previous_deadline = models.DateTimeField()
    deadline = models.DateTimeField()
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["call", "organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.call.slug}: {self.previous_deadline:%Y-%m-%d} -> {self.deadline:%Y-%m-%d}"
