"""Domain errors: each becomes a 4xx with a message a person can act on, in their language.

An error carries a `code` (stable, for programs and tests), the message's template, marked for
translation (its English text is the catalogs' msgid), and the template's named parameters. The
message is rendered where it is shown, in the language active there: the API's error body
(submissions/api/errors.py) and the pages (frontend/views/common.py) read `error.message`,
never a sentence matched back to its template. `summary` is the shorter form a page shows above
the fields that say the rest; `fields` holds messages per field, lazy as well.
"""

from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, gettext_lazy

from .notices import Phrase

# The field message of a field left empty that the action needs.
REQUIRED = gettext_lazy("Required.")


def _render(template, params: dict) -> str:
    sentence = str(template) if isinstance(template, Promise) else gettext(template)
    return sentence % params if params else sentence


_lazy_render = lazy(_render, str)


def text(template, /, **params) -> str:
    """A sentence with named parameters, rendered in the language active when it is shown.
    `template` is a gettext_lazy string (or a msgid); parameters may be lazy themselves."""
    return _lazy_render(template, params)


def translatable(value):
    """Phrases of pure code (submissions.notices.Phrase), alone or in lists and dicts, as lazy
    sentences worded in the reader's language where they are shown."""
    if isinstance(value, Phrase):
        return text(value.template, **value.params)
    if isinstance(value, dict):
        return {key: translatable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [translatable(item) for item in value]
    return value


def joined(parts, separator: str = " ") -> str:
    """Sentences joined, each rendered when the whole is shown."""
    return lazy(lambda: separator.join(str(part) for part in parts), str)()


class DomainError(Exception):
    status_code = 400
    code = "invalid"

    def __init__(
        self,
        template,
        *,
        code: str | None = None,
        fields: dict | None = None,
        summary=None,
        **params,
    ):
        super().__init__(template)
        self.template = template
        self.params = params
        if code:
            self.code = code
        self.fields = fields or {}
        self.summary_template = summary

    @property
    def message(self) -> str:
        """The message in the language active now."""
        return _render(self.template, self.params)

    @property
    def summary(self) -> str:
        """What a page shows above the fields that say the rest: the short form, if any."""
        return str(self.summary_template) if self.summary_template else self.message

    def __str__(self) -> str:
        return self.message

    def as_record(self) -> dict:
        """The error as data a database keeps, to be shown later in its reader's language
        (render_record): the code, the template's msgid and the parameters, as text."""
        with translation.override("en"):
            template = str(self.template)
            params = {name: str(value) for name, value in self.params.items()}
        return {"code": self.code, "template": template, "params": params}


def render_record(record: dict) -> str:
    """A recorded error (DomainError.as_record) in the language active now."""
    return _render(record["template"], record.get("params") or {})


class NotAllowed(DomainError):
    status_code = 403
    code = "forbidden"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class DeadlinePassed(DomainError):
    status_code = 403
    code = "deadline_passed"


class PreconditionFailed(DomainError):
    status_code = 412
    code = "stale_version"


class PayloadTooLarge(DomainError):
    status_code = 413
    code = "too_large"


class UnsupportedFile(DomainError):
    status_code = 415
    code = "unsupported_file"


class StorageUnavailable(DomainError):
    status_code = 503
    code = "storage_unavailable"
