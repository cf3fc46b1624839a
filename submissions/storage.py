"""The file store behind attachments: private, reached through the default storage.

S3-specific operations (presigned POST and parts, HEAD, ranged reads) go through the boto3 client
that django-storages already holds, so both share one configuration.
"""

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from s3transfer.exceptions import RetriesExceededError

from .errors import StorageUnavailable
from .filenames import attachment_disposition

CHUNK = 1024 * 1024


def uses_s3() -> bool:
    return settings.STORAGE_BACKEND == "s3"


def s3_client():
    return default_storage.connection.meta.client


def bucket() -> str:
    return default_storage.bucket_name


STORE_DOWN = _(
    "The file store is not answering right now. Your entry is saved; please try the upload "
    "again in a few minutes."
)


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn an unreachable or failing store into a clear 503 rather than a crash."""
    try:
        yield
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500)
        if status >= 500:
            raise StorageUnavailable(STORE_DOWN) from error
        raise
    except (BotoCoreError, OSError, RetriesExceededError) as error:
        raise StorageUnavailable(STORE_DOWN) from error


def presigned_post(key: str, content_type: str, size: int) -> dict:
    with storage_errors():
        return s3_client().generate_presigned_post(
            Bucket=bucket(),
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
            ExpiresIn=settings.UPLOAD_FORM_EXPIRY_SECONDS,
        )


def start_multipart(key: str, content_type: str) -> str:
    with storage_errors():
        answer = s3_client().create_multipart_upload(
            Bucket=bucket(), Key=key, ContentType=content_type
        )
    return answer["UploadId"]


def presigned_part_urls(key: str, upload_id: str, parts: int) -> list[dict]:
    client = s3_client()
    with storage_errors():
        return [
            {
                "part_number": number,
                "url": client.generate_presigned_url(
                    "upload_part",
                    Params={
                        "Bucket": bucket(),
                        "Key": key,
                        "UploadId": upload_id,
                        "PartNumber": number,
                    },
                    ExpiresIn=settings.UPLOAD_URL_EXPIRY_SECONDS,
                ),
            }
            for number in range(1, parts + 1)
        ]


def complete_multipart(key: str, upload_id: str, parts: list[dict]) -> None:
    with storage_errors():
        s3_client().complete_multipart_upload(
            Bucket=bucket(),
            Key=key,
            UploadId=upload_id,
            MultipartUpload={
                "Parts": [{"PartNumber": p["part_number"], "ETag": p["etag"]} for p in parts]
            },
        )


def abort_multipart(key: str, upload_id: str) -> None:
    with storage_errors(), suppress(ClientError):  # already completed or aborted
        s3_client().abort_multipart_upload(Bucket=bucket(), Key=key, UploadId=upload_id)


def _missing(error: ClientError) -> bool:
    return error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") in (403, 404)


def head(key: str, version_id: str = "") -> dict | None:
    """Size, type, ETag and version of a stored object, or None when it is not there."""
    extra = {"VersionId": version_id} if version_id else {}
    with storage_errors():
        try:
            answer = s3_client().head_object(Bucket=bucket(), Key=key, **extra)
        except ClientError as error:
            if _missing(error):
                return None
            raise
    return {
        "size": answer["ContentLength"],
        "content_type": answer.get("ContentType", ""),
        "etag": answer.get("ETag", ""),
        "version_id": answer.get("VersionId") or "",
    }


def copy(source: str, target: str, *, if_match: str) -> bool:
    """Copy an object within the bucket, server-side, only if the source is still the object
    with that ETag; False when the source is gone (another run already moved it)."""
    with storage_errors():
        try:
            s3_client().copy_object(
                Bucket=bucket(),
                Key=target,
                CopySource={"Bucket": bucket(), "Key": source},
                CopySourceIfMatch=if_match,
                MetadataDirective="COPY",
            )
        except ClientError as error:
            if _missing(error):
                return False
            raise
    return True


def stream(key: str, *, version_id: str = "", if_match: str = "") -> Iterator[bytes]:
    """The object's bytes in CHUNK-sized pieces: memory stays bounded whatever its size. The
    object is asked for now, so a missing, changed or unreachable one is refused before any
    answer starts; only the reading is lazy."""
    extra = {"VersionId": version_id} if version_id else {"IfMatch": if_match} if if_match else {}
    with storage_errors():
        answer = s3_client().get_object(Bucket=bucket(), Key=key, **extra)
    return _chunks(answer["Body"])


def _chunks(body) -> Iterator[bytes]:
    with storage_errors():
        yield from body.iter_chunks(CHUNK)


def check_reachable() -> None:
    """For /readyz: the bucket answers (S3), or the media folder is writable (local)."""
    if uses_s3():
        s3_client().head_bucket(Bucket=bucket())
        return
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    if not os.access(root, os.W_OK):
        raise PermissionError(f"{root} is not writable")


def read_head(key: str, length: int, *, version_id: str = "") -> bytes:
    extra = {"VersionId": version_id} if version_id else {}
    with storage_errors():
        answer = s3_client().get_object(
            Bucket=bucket(), Key=key, Range=f"bytes=0-{length - 1}", **extra
        )
        return answer["Body"].read()


def sha256_of(key: str) -> str:
    """Hash a stored file by streaming it in chunks, so memory stays bounded."""
    digest = hashlib.sha256()
    with storage_errors(), default_storage.open(key, "rb") as stored:
        for chunk in iter(lambda: stored.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def delete(key: str) -> None:
    if not key:
        return
    with storage_errors():
        default_storage.delete(key)


def download_url(key: str, filename: str, content_type: str, *, version_id: str = "") -> str:
    """A short-lived presigned GET that makes the browser save the file, never show it inline;
    pinned to the checked version of the object when the bucket keeps versions."""
    pinned = {"VersionId": version_id} if version_id else {}
    with storage_errors():
        return default_storage.url(
            key,
            parameters={
                "ResponseContentDisposition": attachment_disposition(filename),
                "ResponseContentType": content_type,
                **pinned,
            },
            expire=settings.DOWNLOAD_URL_EXPIRY_SECONDS,
        )
