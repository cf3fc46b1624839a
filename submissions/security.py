"""Security headers, and the one sign-in lockout shared by the pages, the API and the admin."""

import hashlib
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .errors import DomainError, text


class TooManyAttempts(DomainError):
    status_code = 429
    code = "throttled"


# --- Sign-in lockout -------------------------------------------------------------------------
#
# One lockout for every sign-in path: the pages, the API token and the admin all end in
# django.contrib.auth.authenticate(), which asks LockoutBackend first and reports each failure
# through the user_login_failed signal. Failures are counted twice:
# - per account, whatever spelling of its name reached it (an unknown name is counted under its
#   normalised spelling), so " berlin" and "berlin" share one counter;
# - per client address, against one password sprayed over many names.
# A successful sign-in counts nowhere; it clears its own account's counter (not the address's,
# so a valid account of the attacker cannot reset the spraying count).
# Counters live in Django's cache (cache.add then cache.incr: atomic where the cache is shared).

LOCKED_MESSAGE = _(
    "Too many failed sign-in attempts. Wait %(minutes)s minutes, or ask the secretariat to reset "
    "your password."
)


def normalise_username(raw) -> str:
    """The name as authentication resolves it: surrounding whitespace stripped (as the sign-in
    form and the token serializer do) and Unicode compatibility forms folded (as Django's
    UsernameField does)."""
    return unicodedata.normalize("NFKC", str(raw or "").strip()).strip()


def _digest(text: str) -> str:
    # Hashed: a name or an address may hold any character; cache keys stay plain.
    return hashlib.sha256(text.encode()).hexdigest()


def _account_key(username: str) -> str:
    name = normalise_username(username)
    field = get_user_model().USERNAME_FIELD
    account = get_user_model()._default_manager.filter(**{field: name}).values("pk").first()
    if account is not None:
        return f"login-failures:account:{account['pk']}"
    return f"login-failures:name:{_digest(name.casefold())}"


def _address_key(address: str) -> str:
    return f"login-failures:address:{_digest(address)}"


def _count(key: str) -> None:
    timeout = settings.LOGIN_LOCKOUT_SECONDS
    cache.add(key, 0, timeout)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)


def lockout_refusal(username: str, address: str) -> str | None:
    """Why a sign-in for this name from this address is refused now, or None."""
    account_failures = cache.get(_account_key(username), 0)
    address_failures = cache.get(_address_key(address), 0) if address else 0
    if (
        account_failures >= settings.LOGIN_MAX_FAILURES
        or address_failures >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS
    ):
        return text(LOCKED_MESSAGE, minutes=settings.LOGIN_LOCKOUT_SECONDS // 60)
    return None


def record_login_failure(username: str, address: str) -> None:
    _count(_account_key(username))
    if address:
        _count(_address_key(address))


def clear_account_failures(user) -> None:
    cache.delete(f"login-failures:account:{user.pk}")


def refusal_of(request) -> str | None:
    """The lockout that refused this request's sign-in, if that is why it failed."""
    return getattr(request, "login_refusal", None)


class LockoutBackend(ModelBackend):
    """Django's model backend behind the lockout: a locked account or address is refused
    before its password is even checked, and the name is resolved in its normalised form."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        name = normalise_username(username)
        refusal = lockout_refusal(name, client_address(request) if request is not None else "")
        if refusal:
            if request is not None:
                request.login_refusal = refusal
            raise PermissionDenied(refusal)  # authenticate() stops here and reports a failure
        user = super().authenticate(request, username=name, password=password, **kwargs)
        if user is not None:
            clear_account_failures(user)
        return user


@receiver(user_login_failed)
def count_login_failure(sender, credentials, request=None, **kwargs):
    if request is not None and refusal_of(request):
        return  # refused by the lockout itself: not a further guess
    username = credentials.get(get_user_model().USERNAME_FIELD, credentials.get("username"))
    if username is None:
        return
    record_login_failure(username, client_address(request) if request is not None else "")


class LockoutFormMixin:
    """For an AuthenticationForm (the pages' and the admin's): say that the lockout refused the
    sign-in, instead of 'wrong password', in the visitor's language."""

    def get_invalid_login_error(self):
        refusal = refusal_of(self.request)
        if refusal:
            return ValidationError(refusal, code="throttled")
        return super().get_invalid_login_error()


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class SecurityHeadersMiddleware:
    """Content-Security-Policy and related headers on every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response
