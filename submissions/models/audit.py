from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Who did what, when, to what, with the before and after where it matters."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80)
    call = models.ForeignKey(
        "submissions.Call", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=60, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class OutboxMessage(models.Model):
    """Every email the platform sends, so that anyone can see what was sent to whom, and when."""

    kind = models.CharField(max_length=60)
    dedupe_key = models.CharField(max_length=200, blank=True, db_index=True)
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="outbox_unique_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}"
