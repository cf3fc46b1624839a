from django.conf import settings
from django.db import models


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        ELIGIBLE = "eligible", "Eligible"
        INELIGIBLE = "ineligible", "Ineligible"
        SHORTLISTED = "shortlisted", "Shortlisted"
        AWARDED = "awarded", "Awarded"
        NOT_SELECTED = "not_selected", "Not selected"

    call = models.ForeignKey(
        "submissions.Call", on_delete=models.PROTECT, related_name="submissions"
    )
    organization = models.ForeignKey(
        "submissions.Organization", on_delete=models.PROTECT, related_name="submissions"
    )
    title = models.CharField(max_length=250)
    summary = models.TextField(blank=True)
    description = models.TextField(blank=True)
    theme = models.CharField(max_length=120, blank=True)
    answers = models.JSONField(default=dict, blank=True, help_text="Further answers of the form.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    receipt_sha256 = models.CharField(max_length=64, blank=True)
    frozen_content = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["call", "status"]), models.Index(fields=["organization"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Attachment(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Upload started"
        VERIFYING = "verifying", "Being checked"  # direct upload finished; a worker checks it
        COMPLETE = "complete", "Complete"  # checked: it counts
        REJECTED = "rejected", "Refused"  # the check failed; `problem` says why

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=60, help_text="Document kind, e.g. 'application_form'.")
    original_name = models.CharField(max_length=255)
    file = models.FileField(max_length=400, blank=True)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    multipart_upload_id = models.CharField(max_length=255, blank=True)
    # Direct uploads: the key the browser's presigned form or parts write to. Once checked, the
    # object lives at `file`, a key no form names, and `etag`/`version_id` pin what was checked.
    upload_key = models.CharField(max_length=400, blank=True)
    etag = models.CharField(max_length=200, blank=True)
    version_id = models.CharField(max_length=200, blank=True)
    problem = models.TextField(blank=True, help_text="Why the file was refused.")
    problem_record = models.JSONField(
        default=dict,
        blank=True,
        help_text="Why the file was refused, as a code, a message template and its parameters: "
        "shown in the reader's language.",
    )
    verification_requested_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        name = self.original_name
        return name.rsplit(".", 1)[-1].lower() if "." in name else ""
