"""Swagger UI is not blank any more (issue 11, item 7): in Chromium, under our own CSP, it
draws the API's operations, and the browser reports no blocked script."""

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_draws_the_api_under_our_content_security_policy(browser):
    from playwright.sync_api import expect

    page = browser.new_page()
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    page.goto("/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Metropolis jury platform API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert refused == []
