"""One error body everywhere: {"error": {"code", "message", "fields"}}, the message (and each field
message) worded in the request's language (LocaleMiddleware: the language cookie of the pages, or
Accept-Language), from the error's template and parameters."""

import logging

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousFileOperation,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import DatabaseError, DataError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from submissions.errors import REQUIRED, DomainError

logger = logging.getLogger(__name__)


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            text = _first_message(value)
            return text if key == "non_field_errors" else f"{key}: {text}"
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def missing_file() -> DomainError:
    """A multipart request without its file."""
    return DomainError(
        gettext_lazy("Send the file in the 'file' field of a multipart form."),
        fields={"file": [REQUIRED]},
    )


def _worded(value):
    """Lazy messages (and lists and dicts of them) as text in the active language."""
    if isinstance(value, dict):
        return {key: _worded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_worded(item) for item in value]
    return force_str(value)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": force_str(message), "fields": _worded(fields or {})}}


def unreadable_request(exc: SuspiciousOperation | BadRequest) -> tuple[int, dict]:
    """A request the parsers refused (too big, too many fields, a file named '..'): the status
    and the API's error body, with words a person can act on."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return 413, error_body(
            "too_large",
            _(
                "The request is larger than the %(limit)s MB the API reads at once. Send files "
                "as a multipart upload (the 'file' field) or as a direct upload."
            )
            % {"limit": limit},
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return 400, error_body("too_many_fields", _("The request holds too many fields or files."))
    if isinstance(exc, SuspiciousFileOperation):
        return 400, error_body(
            "bad_filename",
            _("The file name must be a plain name, without folders or path parts."),
            {"file": [_("Remove the folder part of the name.")]},
        )
    return 400, error_body("bad_request", _("The request could not be read."))


def bad_request(request, exception=None):
    """handler400: a request refused before any API view ran (e.g. while the CSRF check read
    its form) still answers the API's JSON error under /api/, and the usual page elsewhere."""
    if request.path.startswith("/api/") and isinstance(exception, SuspiciousOperation | BadRequest):
        status_code, body = unreadable_request(exception)
        return JsonResponse(body, status=status_code)
    return defaults.bad_request(request, exception)


def exception_handler(exc, context):
    if isinstance(exc, SuspiciousOperation | BadRequest):
        # Raised by Django's parsers while DRF reads the body; Django would answer an HTML page.
        if isinstance(exc, SuspiciousOperation):
            logging.getLogger(f"django.security.{type(exc).__name__}").warning("%s", exc)
        status_code, body = unreadable_request(exc)
        return Response(body, status=status_code)
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status_code)
    if isinstance(exc, ProtectedError | RestrictedError):
        return Response(
            error_body(
                "in_use",
                _(
                    "This record is still used elsewhere (entries, accounts or calls refer to "
                    "it), so it cannot be deleted."
                ),
            ),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, OverflowError | DataError):
        # e.g. an id or number far beyond what the database stores: nothing can match it.
        return Response(
            error_body("out_of_range", _("A number in the request is out of range.")),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DatabaseError):
        # Lost connection, full disk...: the service's transaction rolled back. Say so in the
        # usual shape rather than a bare 500 page, and keep the trace for the operators.
        logger.error("Database error in %s", type(context.get("view")).__name__, exc_info=exc)
        set_rollback()
        return Response(
            error_body(
                "database_unavailable",
                _(
                    "The database is not answering right now, so this request was not "
                    "completed. Please try again in a moment."
                ),
            ),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        message = _("Some fields need attention: %(first)s") % {"first": _first_message(detail)}
        response.data = error_body("invalid", message, fields)
    else:
        code = getattr(exc, "default_code", "error")
        message = detail.get("detail", str(detail)) if isinstance(detail, dict) else str(detail)
        response.data = error_body(code, str(message))
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        response.data["error"]["message"] = _("Too many attempts. %(detail)s") % {"detail": message}
    return response
