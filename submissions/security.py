"""Security headers and login throttling shared by the API and the pages."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from .errors import DomainError


class TooManyAttempts(DomainError):
    status_code = 429
    code = "throttled"


def _key(username: str, address: str) -> str:
    # Hashed: a user name may hold any character, and cache keys must stay plain.
    digest = hashlib.sha256(f"{(username or '').casefold()}|{address}".encode()).hexdigest()
    return f"login-failures:{digest}"


def check_login_allowed(username: str, address: str) -> None:
    """Refuse further attempts after too many failures for this name from this address."""
    failures = cache.get(_key(username, address), 0)
    if failures >= settings.LOGIN_MAX_FAILURES:
        minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
        raise TooManyAttempts(
            f"Too many failed sign-in attempts. Wait {minutes} minutes, or ask the secretariat "
            "to reset your password."
        )


def record_login_failure(username: str, address: str) -> None:
    key = _key(username, address)
    cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def clear_login_failures(username: str, address: str) -> None:
    cache.delete(_key(username, address))


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
