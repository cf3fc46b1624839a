"""What a file really is, judged by its first bytes rather than its name."""

# MIME type -> the file name extensions that may carry it.
KNOWN_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "video/mp4": ("mp4", "m4v"),
    "video/quicktime": ("mov",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
}
DEFAULT_ALLOWED_TYPES = tuple(KNOWN_TYPES)
HEAD_BYTES = 4096

_OOXML_BY_EXTENSION = {
    ext: mime
    for mime, exts in KNOWN_TYPES.items()
    if mime.startswith("application/vnd")
    for ext in exts
}


def sniff_content_type(head: bytes, filename: str) -> str | None:
    """The MIME type the first bytes show, or None for anything unrecognised."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:10] == b"qt" else "video/mp4"
    if head.startswith(b"PK\x03\x04"):
        # Office documents are zip containers: the name tells which one, the bytes that it is one.
        if extension in _OOXML_BY_EXTENSION and _names_ooxml_part(head):
            return _OOXML_BY_EXTENSION[extension]
        return "application/zip"
    return None


def _names_ooxml_part(head: bytes) -> bool:
    return any(
        part in head
        for part in (b"[Content_Types].xml", b"word/", b"xl/", b"ppt/", b"_rels/", b"docProps/")
    )
