"""What a file must be to count, checked the same way on both upload paths (streamed through the
platform, or direct to S3) and again by the worker: its name, kind, declared type and size, then
its content, which must show the declared type."""

import re

from django.utils.translation import gettext_lazy as _

from .errors import REQUIRED, DomainError, PayloadTooLarge, UnsupportedFile
from .filenames import unsafe_characters
from .models import Call
from .sniffing import DEFAULT_ALLOWED_TYPES, KNOWN_TYPES, sniff_content_type

MAX_NAME_LENGTH = 200
NOT_VALID = _("The content of '%(name)s' is not a valid %(type)s file.")
NOT_VALID_LOOKS_LIKE = _(
    "The content of '%(name)s' is not a valid %(type)s file (it looks like %(sniffed)s)."
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def allowed_types(call: Call) -> tuple[str, ...]:
    return tuple(call.allowed_content_types) or DEFAULT_ALLOWED_TYPES


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def validate_name(filename: str) -> str:
    name = (filename or "").strip()
    if not name:
        raise DomainError(_("The file needs a name."), fields={"filename": [REQUIRED]})
    if "/" in name or "\\" in name or name in {".", ".."} or _CONTROL.search(name):
        raise DomainError(
            _("The file name must be a plain name, without folders or path parts."),
            code="bad_filename",
            fields={"filename": [_("Remove the folder part of the name.")]},
        )
    if unsafe_characters(name):
        raise DomainError(
            _(
                "The file name holds quotes, control characters or text-direction characters. "
                "Rename the file with letters, digits, spaces, dots or dashes, then upload it "
                "again."
            ),
            code="bad_filename",
            fields={"filename": [_("Rename the file without special characters.")]},
        )
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(
            _("The file name is longer than %(limit)s characters."),
            fields={"filename": [_("Too long.")]},
            limit=MAX_NAME_LENGTH,
        )
    return name


def validate_declared(call: Call, filename: str, content_type: str, size: int, kind: str) -> None:
    """Checks that need no bytes: name, kind, declared type and size."""
    name = validate_name(filename)
    if not kind:
        raise DomainError(_("Say what kind of document this is."), fields={"kind": [REQUIRED]})
    types = allowed_types(call)
    if content_type not in types:
        names = ", ".join(sorted({ext for t in types for ext in KNOWN_TYPES.get(t, (t,))}))
        raise UnsupportedFile(
            _("'%(name)s' is not a file type this call accepts (%(types)s)."),
            fields={"file": [_("File type not accepted.")]},
            name=name,
            types=names,
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in KNOWN_TYPES.get(content_type, ()):
        raise UnsupportedFile(
            _("The name '%(name)s' does not match its type %(type)s."),
            fields={"file": [_("Extension and type disagree.")]},
            name=name,
            type=content_type,
        )
    if size <= 0:
        raise DomainError(
            _("'%(name)s' is empty."),
            code="empty_file",
            fields={"file": [_("Empty file.")]},
            name=name,
        )
    if size > call.max_file_size:
        raise PayloadTooLarge(
            _("'%(name)s' is %(size)s; the largest file this call accepts is %(limit)s."),
            fields={"file": [_("File too large.")]},
            name=name,
            size=human_size(size),
            limit=human_size(call.max_file_size),
        )


def validate_content(call: Call, filename: str, content_type: str, head: bytes) -> str:
    """The bytes must show the declared type: a renamed file is refused."""
    sniffed = sniff_content_type(head, filename)
    if sniffed != content_type or sniffed not in allowed_types(call):
        message = NOT_VALID_LOOKS_LIKE if sniffed else NOT_VALID
        raise UnsupportedFile(
            message,
            fields={"file": [_("Content does not match the file type.")]},
            name=filename,
            type=content_type,
            sniffed=sniffed,
        )
    return sniffed


def size_mismatch(found: int, announced: int) -> DomainError:
    return DomainError(
        _("The file that arrived is %(found)s bytes, not the %(announced)s announced."),
        code="size_mismatch",
        fields={"file": [_("Size mismatch.")]},
        found=found,
        announced=announced,
    )


def not_arrived() -> DomainError:
    return DomainError(
        _("The file has not arrived in the store yet; upload it, then finish."),
        code="upload_missing",
    )


def stored_with_another_type() -> UnsupportedFile:
    return UnsupportedFile(_("The file was stored with another type than announced."))
