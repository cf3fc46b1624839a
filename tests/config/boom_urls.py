"""A URL whose view fails, for the Sentry test (tests/config/test_sentry.py)."""

from django.urls import path


def fail(request):
    raise RuntimeError("the jury platform broke on purpose")


urlpatterns = [path("boom/", fail)]
