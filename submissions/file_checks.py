"""What a file must be to count, checked the same way on both upload paths (streamed through the
platform, or direct to S3) and again by the worker: its name, kind, declared type and size, then
its content, which must show the declared type."""

import re

from .errors import DomainError, PayloadTooLarge, UnsupportedFile
from .filenames import unsafe_characters
from .models import Call
from .sniffing import DEFAULT_ALLOWED_TYPES, KNOWN_TYPES, sniff_content_type

MAX_NAME_LENGTH = 200
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
        raise DomainError("The file needs a name.", fields={"filename": ["Required."]})
    if "/" in name or "\\" in name or name in {".", ".."} or _CONTROL.search(name):
        raise DomainError(
            "The file name must be a plain name, without folders or path parts.",
            code="bad_filename",
            fields={"filename": ["Remove the folder part of the name."]},
        )
    if unsafe_characters(name):
        raise DomainError(
            "The file name holds quotes, control characters or text-direction characters. "
            "Rename the file with letters, digits, spaces, dots or dashes, then upload it again.",
            code="bad_filename",
            fields={"filename": ["Rename the file without special characters."]},
        )
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(
            f"The file name is longer than {MAX_NAME_LENGTH} characters.",
            fields={"filename": ["Too long."]},
        )
    return name


def validate_declared(call: Call, filename: str, content_type: str, size: int, kind: str) -> None:
    """Checks that need no bytes: name, kind, declared type and size."""
    name = validate_name(filename)
    if not kind:
        raise DomainError("Say what kind of document this is.", fields={"kind": ["Required."]})
    types = allowed_types(call)
    if content_type not in types:
        names = ", ".join(sorted({ext for t in types for ext in KNOWN_TYPES.get(t, (t,))}))
        raise UnsupportedFile(
            f"'{name}' is not a file type this call accepts ({names}).",
            fields={"file": ["File type not accepted."]},
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in KNOWN_TYPES.get(content_type, ()):
        raise UnsupportedFile(
            f"The name '{name}' does not match its type {content_type}.",
            fields={"file": ["Extension and type disagree."]},
        )
    if size <= 0:
        raise DomainError(
            f"'{name}' is empty.", code="empty_file", fields={"file": ["Empty file."]}
        )
    if size > call.max_file_size:
        raise PayloadTooLarge(
            f"'{name}' is {human_size(size)}; the largest file this call accepts is "
            f"{human_size(call.max_file_size)}.",
            fields={"file": ["File too large."]},
        )


def validate_content(call: Call, filename: str, content_type: str, head: bytes) -> str:
    """The bytes must show the declared type: a renamed file is refused."""
    sniffed = sniff_content_type(head, filename)
    if sniffed != content_type or sniffed not in allowed_types(call):
        raise UnsupportedFile(
            f"The content of '{filename}' is not a valid {content_type} file"
            + (f" (it looks like {sniffed})." if sniffed else "."),
            fields={"file": ["Content does not match the file type."]},
        )
    return sniffed


def size_mismatch(found: int, announced: int) -> DomainError:
    return DomainError(
        f"The file that arrived is {found} bytes, not the {announced} announced.",
        code="size_mismatch",
        fields={"file": ["Size mismatch."]},
    )
