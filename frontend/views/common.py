"""What every page view shares: who may open it, and how a refused action is shown."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from submissions.errors import DomainError


def role_required(test: Callable) -> Callable:
    """Sign-in first; then a 403 page for anyone whose role does not fit the page."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def is_city_contact(user) -> bool:
    return user.is_city_contact and user.organization_id is not None


def is_juror(user) -> bool:
    return user.is_juror


def is_secretariat(user) -> bool:
    return user.is_secretariat


def is_board_or_secretariat(user) -> bool:
    return user.is_board or user.is_secretariat


city_required = role_required(is_city_contact)
juror_required = role_required(is_juror)
secretariat_required = role_required(is_secretariat)
board_required = role_required(is_board_or_secretariat)


def posted(request):
    """The form data of a POST (even an empty one), None for a GET: a bound or unbound form."""
    return request.POST if request.method == "POST" else None


def show_error(form, error: DomainError) -> None:
    """Put a service's refusal on the form: its summary on top (the message where it has none),
    field messages by the field; each worded in the visitor's language from its template."""
    form.add_error(None, error.summary)
    for field, messages in (error.fields or {}).items():
        if field in form.fields:
            for message in messages if isinstance(messages, list) else [messages]:
                form.add_error(field, str(message))


def render_refused(request, template: str, context: dict, error: DomainError):
    """Re-render a page after a refused action with the service's status code: a 4xx (or the
    503 of an unreachable file store), never a crash."""
    return render(request, template, context, status=error.status_code)
