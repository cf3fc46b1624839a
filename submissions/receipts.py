"""Submission receipts: a SHA-256 over the frozen content and the attachments' hashes.

Pure: the same content and the same files always give the same hash, wherever it is computed.
The server's timestamp is printed beside the hash on the receipt, not inside it, so a city can
recompute the hash from what it sent.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping


def canonical_content(fields: Mapping, attachments: Iterable[Mapping]) -> dict:
    return {
        "fields": dict(sorted(fields.items())),
        "attachments": sorted(
            ({"kind": a["kind"], "name": a["name"], "sha256": a["sha256"]} for a in attachments),
            key=lambda a: (a["kind"], a["name"], a["sha256"]),
        ),
    }


def receipt_hash(content: Mapping) -> str:
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
