"""/healthz: the process answers. /readyz: what it needs is reachable, or a 503 naming what is not.

Both answer before host validation and HTTPS redirects, since load balancers and the image's
HEALTHCHECK probe over plain HTTP with whatever Host they like. Each check is bounded by short
timeouts, so a probe never hangs on a dead service.
"""

import logging
import time
import uuid

from django.conf import settings
from django.http import JsonResponse

from submissions import storage

logger = logging.getLogger("metropolis.health")


def check_database() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> None:
    from django.core.cache import cache

    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def check_storage() -> None:
    storage.check_reachable()


def check_broker() -> None:
    if settings.TASKS_EMBEDDED:
        return  # tasks run in this process: there is no broker to reach
    from kombu import Connection

    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=settings.REDIS_TIMEOUT_SECONDS,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    ) as connection:
        connection.ensure_connection(max_retries=0, timeout=settings.REDIS_TIMEOUT_SECONDS)


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "broker": check_broker,
}


def readiness() -> tuple[bool, dict[str, str]]:
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:
            logger.warning("readiness: %s is down: %s", name, error)
            results[name] = f"down: {type(error).__name__}: {error}"[:300]
        else:
            results[name] = f"ok ({(time.perf_counter() - started) * 1000:.0f} ms)"
    return all(value.startswith("ok") for value in results.values()), results


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"})
        if request.path == "/readyz":
            ready, checks = readiness()
            down = [name for name, result in checks.items() if not result.startswith("ok")]
            body = {"status": "ready" if ready else "unavailable", "down": down, "checks": checks}
            return JsonResponse(body, status=200 if ready else 503)
        return self.get_response(request)


def _unavailable_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = []
    try:
        import redis.exceptions

        errors += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    try:
        import kombu.exceptions

        errors.append(kombu.exceptions.OperationalError)
    except ImportError:  # pragma: no cover - celery brings kombu
        pass
    return tuple(errors)


class ServiceUnavailableMiddleware:
    """A shared service that is down (the cache, the broker) answers a clear 503 in the API's
    error shape, not a 500: nothing was lost, and trying again later works."""

    errors = _unavailable_errors()

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, self.errors):
            return None
        logger.error("service unavailable: %s", exception)
        return JsonResponse(
            {
                "error": {
                    "code": "service_unavailable",
                    "message": "A service the platform needs is not answering right now. "
                    "Nothing you saved is lost; please try again in a few minutes.",
                    "fields": {},
                }
            },
            status=503,
            headers={"Retry-After": "30"},
        )
