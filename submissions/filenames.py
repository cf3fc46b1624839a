"""File names as the platform accepts them and as it hands them back in downloads.

Plain functions, no ORM and no request. A name reaches the Content-Disposition header of every
download (streamed, or the presigned S3 GET's ResponseContentDisposition), so it is refused at
upload when it holds a character that could break out of the header or disguise the name,
and neutralised again at download for any name stored before this rule.
"""

import re
import unicodedata

from django.utils.http import content_disposition_header

# Quotes and backslashes end or escape the header's quoted string; control characters (C0,
# DEL, C1) and line separators split headers; the Unicode direction controls make
# "invoice\u202efdp.exe" display as "invoiceexe.pdf".
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(r'["\\\x00-\x1f\x7f-\x9f\u2028\u2029' + BIDI_CONTROLS + "]")


def unsafe_characters(name: str) -> list[str]:
    """The characters of a name that may not be in a file name here, each shown as U+XXXX."""
    return sorted({f"U+{ord(c):04X}" for c in _UNSAFE.findall(name)})


def download_name(name: str) -> str:
    """The name a download is saved under: NFC, every unsafe character replaced by '_'."""
    return _UNSAFE.sub("_", unicodedata.normalize("NFC", name or "")).strip() or "file"


def attachment_disposition(name: str) -> str:
    """Content-Disposition that makes the browser save the file under its (neutralised) name:
    a quoted ASCII filename, or RFC 5987's filename*=utf-8''... for any other name
    (RFC 6266), as Django's FileResponse builds it."""
    return content_disposition_header(True, download_name(name))
