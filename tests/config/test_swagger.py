"""Swagger UI at /api/v1/docs/ runs under our Content-Security-Policy (issue 11, item 7): every
script and style comes from our own origin (drf-spectacular-sidecar), none inline, and each
is served."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def served_static(settings):
    settings.WHITENOISE_USE_FINDERS = True  # what collectstatic gives the image, without running it
    settings.WHITENOISE_AUTOREFRESH = True


def test_swagger_ui_loads_only_same_origin_scripts_that_are_served(client, served_static):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "script-src 'self'" in page["Content-Security-Policy"]
    scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html)
    styles = re.findall(r"<link[^>]*\bhref=\"([^\"]+)\"", html)
    inline = [s for s in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)]
    assert len(scripts) >= 2 and styles
    assert [s for s in inline if s.strip()] == []  # the CSP would block them
    for url in scripts + styles:
        assert url.startswith("/") and not url.startswith("//"), url
        answer = client.get(url)
        assert answer.status_code == 200, url
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        assert len(body) > 100, url
