"""Warnings, notes and problems as pure code words them, for people to read later.

Pure (no Django). The computation modules (aggregation, uncertainty, design checks,
agreement, the assignment solver) say what they noticed as a ``Notice``: a machine code with
parameters and its plain English rendering (logs, exports and the API's ``warnings`` use
``message``). A ``Phrase`` is an English sentence that remembers its template (the catalogs'
msgid) and parameters, so that the edges word it in the reader's language
(submissions.errors.translatable); as a str it is the English sentence itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_LISTED = 10  # ids spelled out in one message before "and N more"


class Phrase(str):
    """An English sentence with its template and named parameters kept for translation."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Phrase:
        phrase = super().__new__(cls, template % params if params else template)
        phrase.template, phrase.params = template, params
        return phrase


@dataclass(frozen=True)
class Notice:
    """``code`` names the situation (stable, for translation and tests); ``params`` holds
    its figures as plain JSON-ready values; ``message`` is the English sentence."""

    code: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params), "message": self.message}


def messages(notices: Iterable[Notice]) -> list[str]:
    """The English sentences, in order, without repeats."""
    return list(dict.fromkeys(n.message for n in notices))


def unique(notices: Iterable[Notice]) -> list[Notice]:
    """The notices in order, each (code, message) once."""
    return list(dict.fromkeys(notices))


def listed(ids: Sequence[object]) -> str:
    """'1, 2, 3' or, past MAX_LISTED, '1, 2, ..., 10 and 5 more'."""
    ids = list(ids)
    shown = ", ".join(map(str, ids[:MAX_LISTED]))
    more = len(ids) - MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def plain(value: object) -> object:
    """A numpy scalar or id as a plain JSON-ready value."""
    if hasattr(value, "item"):
        return value.item()
    return value
