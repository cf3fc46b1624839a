"""The worker's check of a direct upload, off the request: move it where no form can write,
then read it once, in bounded memory, for its size, sniffed type and SHA-256.

Idempotent: a second run (a task delivered twice, or handed over again after a worker died)
finds the file already moved, or already decided, and changes nothing. Only the run that finds
the row still `verifying` under its lock writes the outcome.
"""

import hashlib
import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import audit, storage
from .errors import DomainError, StorageUnavailable
from .file_checks import (
    not_arrived,
    size_mismatch,
    stored_with_another_type,
    validate_content,
    validate_declared,
)
from .models import Attachment
from .queue import enqueue
from .sniffing import HEAD_BYTES

logger = logging.getLogger("metropolis.uploads")


def verify(attachment_id: int) -> str:
    """'complete', 'rejected', or 'skipped' when there is nothing (left) to check."""
    attachment = (
        Attachment.objects.select_related("submission__call").filter(pk=attachment_id).first()
    )
    if attachment is None or attachment.state != Attachment.State.VERIFYING:
        return "skipped"
    try:
        found = _move_out_of_reach(attachment)
        checked = _read(attachment, found)
        _check(attachment, found, checked)
    except StorageUnavailable:
        raise  # the store, not the file: left `verifying`, checked again by the next run
    except DomainError as error:
        return _reject(attachment.pk, error)
    return _accept(attachment.pk, found, checked)


def _move_out_of_reach(attachment: Attachment) -> dict:
    """Copy the upload to the final key (server-side), then delete the upload key: from now on
    the form the city holds writes an object nobody reads."""
    final = attachment.file.name
    uploaded = storage.head(attachment.upload_key) if attachment.upload_key else None
    if uploaded is not None:
        if uploaded["content_type"] != attachment.content_type:
            raise stored_with_another_type()
        storage.copy(attachment.upload_key, final, if_match=uploaded["etag"])
        storage.delete(attachment.upload_key)
    found = storage.head(final)
    if found is None:
        raise not_arrived()
    return found


def _read(attachment: Attachment, found: dict) -> dict:
    """One pass over the object exactly as it was found (its version, or its ETag)."""
    digest = hashlib.sha256()
    head = b""
    size = 0
    for chunk in storage.stream(
        attachment.file.name, version_id=found["version_id"], if_match=found["etag"]
    ):
        size += len(chunk)
        digest.update(chunk)
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
    return {"size": size, "head": head, "sha256": digest.hexdigest()}


def _check(attachment: Attachment, found: dict, checked: dict) -> None:
    call = attachment.submission.call
    if checked["size"] != attachment.size:
        raise size_mismatch(checked["size"], attachment.size)
    if found["content_type"] != attachment.content_type:
        raise stored_with_another_type()
    validate_declared(
        call, attachment.original_name, attachment.content_type, checked["size"], attachment.kind
    )
    validate_content(call, attachment.original_name, attachment.content_type, checked["head"])


def _accept(attachment_id: int, found: dict, checked: dict) -> str:
    with transaction.atomic():
        attachment = (
            Attachment.objects.select_for_update()
            .filter(pk=attachment_id, state=Attachment.State.VERIFYING)
            .first()
        )
        if attachment is None:
            return _orphaned(attachment_id)
        attachment.sha256 = checked["sha256"]
        attachment.etag = found["etag"]
        attachment.version_id = found["version_id"]
        attachment.state = Attachment.State.COMPLETE
        attachment.completed_at = timezone.now()
        attachment.save(update_fields=["sha256", "etag", "version_id", "state", "completed_at"])
        audit.record(
            attachment.uploaded_by,
            "attachment.uploaded",
            attachment,
            call=attachment.submission.call,
            sha256=attachment.sha256,
        )
    return "complete"


def _reject(attachment_id: int, error: DomainError) -> str:
    with transaction.atomic():
        attachment = (
            Attachment.objects.select_for_update()
            .select_related("submission__call")
            .filter(pk=attachment_id, state=Attachment.State.VERIFYING)
            .first()
        )
        if attachment is None:
            return _orphaned(attachment_id)
        attachment.state = Attachment.State.REJECTED
        attachment.problem = error.message
        attachment.problem_record = error.as_record()
        attachment.save(update_fields=["state", "problem", "problem_record"])
        audit.record(
            attachment.uploaded_by,
            "attachment.rejected",
            attachment,
            call=attachment.submission.call,
            code=error.code,
            reason=error.message,
        )
        keys = [attachment.file.name, attachment.upload_key]
    for key in keys:  # after the commit: a refused file's bytes go for good
        storage.delete(key)
    logger.info("upload refused: %s", error.message, extra={"attachment": attachment_id})
    return "rejected"


def _orphaned(attachment_id: int) -> str:
    # Removed by the city (or decided by another run) while we read it: leave it as it is.
    logger.info("verification outcome dropped", extra={"attachment": attachment_id})
    return "skipped"


# --- the worker's tasks (scheduled by name in CELERY_BEAT_SCHEDULE; see submissions/tasks.py) ---


@shared_task(name="submissions.tasks.verify_upload")
def verify_upload(attachment_id: int) -> str:
    return verify(attachment_id)


@shared_task(name="submissions.tasks.resume_verifications")
def resume_verifications() -> int:
    """Direct uploads still being checked long after they were handed over (their task was lost
    with a broker that went down, or with a worker that was killed) are handed over again."""
    cutoff = timezone.now() - timedelta(seconds=settings.VERIFY_RETRY_AFTER_SECONDS)
    stuck = list(
        Attachment.objects.filter(
            state=Attachment.State.VERIFYING, verification_requested_at__lt=cutoff
        ).values_list("pk", flat=True)[:200]
    )
    for attachment_id in stuck:
        Attachment.objects.filter(pk=attachment_id).update(verification_requested_at=timezone.now())
        enqueue(verify_upload, attachment_id)
    return len(stuck)
