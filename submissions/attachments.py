"""Attachments: one validation service for both upload paths, and the download rule."""

import hashlib
import logging
import math
import uuid
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit, rules, storage
from .errors import Conflict, DomainError, UnsupportedFile
from .file_checks import (
    not_arrived,
    size_mismatch,
    validate_content,
    validate_declared,
    validate_name,
)
from .models import Attachment, Submission, User
from .queue import enqueue
from .services import ensure_editable, lock_draft
from .sniffing import HEAD_BYTES, KNOWN_TYPES, sniff_content_type
from .verification import verify_upload

PDF = "application/pdf"
MULTIPART_THRESHOLD = 100 * 1024 * 1024  # above this, direct uploads go in presigned parts
logger = logging.getLogger("metropolis.uploads")


def _ensure_room(submission: Submission) -> None:
    used = submission.attachments.exclude(state=Attachment.State.REJECTED).count()
    if used >= submission.call.max_attachments:
        raise Conflict(
            _("This entry already has %(count)s files, the most this call allows."),
            code="too_many_files",
            count=used,
        )


def _new_key(submission: Submission, filename: str) -> str:
    # Neutral key: no original name, so no URL or header of the store can reveal the entrant.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"submissions/{submission.pk}/{uuid.uuid4().hex}.{extension}"


def _writable(user: User, submission: Submission) -> Submission:
    submission = lock_draft(submission.pk)
    rules.ensure_acts_for(user, submission.organization)
    ensure_editable(submission)
    return submission


# --- (a) streamed through the platform -------------------------------------------------------


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Streams to a temporary file, hashing as it goes and keeping only the first bytes."""

    def __init__(self, request=None, max_bytes: int | None = None):
        super().__init__(request)
        self.max_bytes = max_bytes

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()
        self.head = b""
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.max_bytes is not None and self.received > self.max_bytes:
            return None  # stop writing: the service refuses it by size, disk stays bounded
        self.digest.update(raw_data)
        if len(self.head) < HEAD_BYTES:
            self.head += raw_data[: HEAD_BYTES - len(self.head)]
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        uploaded = super().file_complete(file_size)
        uploaded.raw_name = self.file_name  # as sent, before any stripping of folders
        uploaded.sha256 = self.digest.hexdigest()
        uploaded.head = self.head
        uploaded.received = self.received
        return uploaded


def store_uploaded(
    user: User, submission: Submission, uploaded: UploadedFile, kind: str
) -> Attachment:
    """Path (a): validate the streamed file, then save it to the store."""
    with transaction.atomic():
        submission = _writable(user, submission)
        call = submission.call
        name = validate_name(getattr(uploaded, "raw_name", uploaded.name))
        size = getattr(uploaded, "received", uploaded.size)
        content_type = sniff_content_type(getattr(uploaded, "head", b""), name)
        declared = uploaded.content_type
        if declared in ("", "application/octet-stream") or declared not in KNOWN_TYPES:
            declared = content_type or declared
        validate_declared(call, name, declared, size, kind)
        validate_content(call, name, declared, getattr(uploaded, "head", b""))
        _ensure_room(submission)
        attachment = Attachment.objects.create(
            submission=submission,
            kind=kind,
            original_name=name,
            content_type=declared,
            size=size,
            uploaded_by=user,
        )
    key = _new_key(submission, attachment.original_name)
    uploaded.seek(0)
    try:
        with storage.storage_errors():
            stored_name = storage.default_storage.save(key, uploaded)
    except Exception:
        attachment.delete()  # nothing half-counted: the row goes when the bytes did not land
        raise
    attachment.file.name = stored_name
    attachment.sha256 = getattr(uploaded, "sha256", "") or _hash_file(uploaded)
    attachment.state = Attachment.State.COMPLETE
    attachment.completed_at = timezone.now()
    if storage.uses_s3():  # pin what was stored, as for direct uploads (ensure_downloadable)
        found = storage.head(stored_name) or {}
        attachment.etag, attachment.version_id = found.get("etag", ""), found.get("version_id", "")
    attachment.save(update_fields=["file", "sha256", "state", "completed_at", "etag", "version_id"])
    audit.record(user, "attachment.uploaded", attachment, call=call, sha256=attachment.sha256)
    return attachment


def _hash_file(uploaded: UploadedFile) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return digest.hexdigest()


# --- (b) direct to S3 ------------------------------------------------------------------------
#
# The browser writes to an upload key (uploads/…) through a presigned form or presigned parts.
# `complete` checks what is cheap (the object is there, of the size announced) and hands the
# file to a worker: 202, state `verifying`. The worker (submissions/verification.py) moves the
# object to its final key (submissions/…), which no form names, then reads it once for size,
# sniffed type and SHA-256; only then does the file count. Whatever the city still holds (the
# form, until it expires) can only write the upload key, which no longer matters.


def _upload_key(submission: Submission, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"uploads/{submission.pk}/{uuid.uuid4().hex}.{extension}"


def start_direct_upload(
    user: User, submission: Submission, *, filename: str, content_type: str, size: int, kind: str
) -> tuple[Attachment, dict]:
    with transaction.atomic():
        submission = _writable(user, submission)
        if not storage.uses_s3():
            raise DomainError(
                _(
                    "Direct upload needs S3 storage; send the file to the attachments endpoint "
                    "instead."
                ),
                code="direct_upload_unavailable",
            )
        validate_declared(submission.call, filename, content_type, size, kind)
        _ensure_room(submission)
        upload_key = _upload_key(submission, filename)
        attachment = Attachment.objects.create(
            submission=submission,
            kind=kind,
            original_name=filename,
            content_type=content_type,
            size=size,
            file=_new_key(submission, filename),  # where the checked file will live
            upload_key=upload_key,
            uploaded_by=user,
        )
    try:
        return attachment, _open_upload(attachment, upload_key, content_type, size)
    except Exception:
        attachment.delete()  # the store did not open the upload: no row is left to count
        raise


def _open_upload(attachment: Attachment, key: str, content_type: str, size: int) -> dict:
    if size > MULTIPART_THRESHOLD:
        part_size = settings.MULTIPART_PART_SIZE
        upload_id = storage.start_multipart(key, content_type)
        attachment.multipart_upload_id = upload_id
        attachment.save(update_fields=["multipart_upload_id"])
        # Part URLs name this upload id only: once completed, no part can be sent to it again.
        return {
            "method": "multipart",
            "part_size": part_size,
            "parts": storage.presigned_part_urls(key, upload_id, math.ceil(size / part_size)),
            "expires_in": settings.UPLOAD_URL_EXPIRY_SECONDS,
        }
    # A presigned POST is signed here without a word to the store: ask the store first, so
    # that one that does not answer gets a 503 now, not a failed upload in the browser later.
    storage.head(key)
    post = storage.presigned_post(key, content_type, size)
    return {
        "method": "post",
        "url": post["url"],
        "fields": post["fields"],
        "expires_in": settings.UPLOAD_FORM_EXPIRY_SECONDS,
    }


class RejectedUpload(Exception):
    def __init__(self, error: DomainError):
        self.error = error


def complete_direct_upload(
    user: User, attachment: Attachment, parts: list[dict] | None = None
) -> Attachment:
    """The browser says the bytes are sent: check what is cheap, then hand the file to a worker
    (state `verifying`). An object of another size than announced is refused and deleted."""
    try:
        return _complete(user, attachment, parts)
    except RejectedUpload as rejected:
        # Outside the rolled-back transaction: the object and its row go for good.
        storage.delete(attachment.upload_key)
        Attachment.objects.filter(pk=attachment.pk).delete()
        raise rejected.error from None


@transaction.atomic
def _complete(user: User, attachment: Attachment, parts: list[dict] | None) -> Attachment:
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    rules.ensure_acts_for(user, attachment.submission.organization)
    if attachment.state != Attachment.State.PENDING:
        return attachment  # completing twice is harmless: the state says where it stands
    _writable(user, attachment.submission)
    key = attachment.upload_key
    if attachment.multipart_upload_id:
        if not parts:
            raise DomainError(
                _("List the uploaded parts (part_number and etag) to finish."),
                fields={"parts": [_("Required for a multipart upload.")]},
            )
        storage.complete_multipart(key, attachment.multipart_upload_id, parts)
        attachment.multipart_upload_id = ""
        attachment.save(update_fields=["multipart_upload_id"])
    found = storage.head(key)
    if found is None:
        raise not_arrived()
    if found["size"] != attachment.size:
        raise RejectedUpload(size_mismatch(found["size"], attachment.size))
    attachment.state = Attachment.State.VERIFYING
    attachment.verification_requested_at = timezone.now()
    attachment.save(update_fields=["state", "verification_requested_at"])
    enqueue(verify_upload, attachment.pk)
    return attachment


def ensure_downloadable(attachment: Attachment) -> None:
    """At download: the file was checked, and the stored object is still the one that was
    checked (its ETag, and its version where the bucket keeps versions). Anything else is
    withheld, loudly."""
    if attachment.state != Attachment.State.COMPLETE:
        raise DomainError(_("This file has not finished uploading."), code="upload_incomplete")
    if not (storage.uses_s3() and attachment.etag):
        return
    found = storage.head(attachment.file.name, attachment.version_id)
    if found is None or found["etag"] != attachment.etag:
        logger.error(
            "stored object differs from the checked one",
            extra={"attachment": attachment.pk, "key": attachment.file.name},
        )
        raise Conflict(
            _(
                "This file is not the one that was checked when it was uploaded, so it is "
                "withheld. The secretariat has been alerted."
            ),
            code="file_changed",
        )


@transaction.atomic
def remove_attachment(user: User, attachment: Attachment) -> None:
    submission = _writable(user, attachment.submission)
    if attachment.multipart_upload_id:
        storage.abort_multipart(attachment.upload_key, attachment.multipart_upload_id)
    keys = [attachment.file.name, attachment.upload_key]
    attachment.delete()
    audit.record(
        user, "attachment.removed", submission, call=submission.call, name=attachment.original_name
    )
    transaction.on_commit(lambda: [storage.delete(key) for key in keys])


def open_pdf(attachment: Attachment) -> Iterator[bytes] | IO[bytes]:
    """The bytes of a file whose stored content is a PDF, for the reader beside the rubric: the
    same checks as a download, and the first bytes sniffed again from the store (not the name,
    not the type declared), so nothing but a PDF is ever handed to the viewer."""
    ensure_downloadable(attachment)
    key = attachment.file.name
    if storage.uses_s3():
        head = storage.read_head(key, 8, version_id=attachment.version_id)
    else:
        with storage.storage_errors(), storage.default_storage.open(key, "rb") as stored:
            head = stored.read(8)
    if sniff_content_type(head, attachment.original_name) != PDF:
        raise UnsupportedFile(
            _("This file is not a PDF, so it cannot be shown here; download it instead."),
            code="not_pdf",
        )
    if storage.uses_s3():
        return storage.stream(key, version_id=attachment.version_id, if_match=attachment.etag)
    with storage.storage_errors():
        return storage.default_storage.open(key, "rb")


def record_download(user: User, attachment: Attachment) -> None:
    audit.record(user, "attachment.downloaded", attachment, call=attachment.submission.call)


def purge_abandoned_uploads(started_before, *, dry_run: bool = False) -> list[str]:
    """Delete uploads still pending (started, never completed) or refused since before the
    cutoff: they never count, so removing them loses nothing a city submitted."""
    dead = (Attachment.State.PENDING, Attachment.State.REJECTED)
    stale = Attachment.objects.filter(state__in=dead, created_at__lt=started_before)
    removed = []
    for candidate in stale:
        with transaction.atomic():
            # Locked and read again: a city completing this upload right now keeps it.
            attachment = (
                Attachment.objects.select_for_update()
                .filter(pk=candidate.pk, state__in=dead)
                .first()
            )
            if attachment is None:
                continue
            removed.append(f"{attachment.submission_id}/{attachment.original_name}")
            if dry_run:
                continue
            if attachment.multipart_upload_id:
                storage.abort_multipart(attachment.upload_key, attachment.multipart_upload_id)
            storage.delete(attachment.file.name)
            storage.delete(attachment.upload_key)
            attachment.delete()
    return removed
