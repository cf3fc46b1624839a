"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium or the playwright package the tests are skipped, and the run says why
at the end; with REQUIRE_BROWSER=1 (as in .ci/run) they fail instead. A failing test leaves a
screenshot of the page in tests/browser/screenshots/.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1"


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    return None


MISSING = _missing()


def pytest_collection_modifyitems(config, items):
    if MISSING and not REQUIRED:
        skip = pytest.mark.skip(reason=f"browser tests skipped: {MISSING}")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if MISSING and not REQUIRED:
        terminalreporter.write_line(
            f"Browser tests skipped: {MISSING}. Set REQUIRE_BROWSER=1 to make them fail instead.",
            yellow=True,
        )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def chromium():
    if MISSING:
        pytest.fail(f"REQUIRE_BROWSER=1 but {MISSING}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, so Django would refuse the
    # tests' ORM calls; they are safe here. Set only while a browser runs: the variable must
    # not leak into other tests or the processes they start (manage.py check --deploy).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                args=CHROMIUM_ARGS,
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Browser:
    """Opens one browser context per person, so each signs in with their own cookies."""

    def __init__(self, chromium, base_url: str, request):
        self.chromium = chromium
        self.base_url = base_url
        self.request = request
        self.pages = []

    def new_page(self, *, width=1280, height=900):
        context = self.chromium.new_context(
            base_url=self.base_url, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        self.pages.append(page)
        return page

    def signed_in(self, username: str, password: str, **size):
        page = self.new_page(**size)
        page.goto("/accounts/login/")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r".*/(city|juror|secretariat|board)/$"))
        return page

    def close(self):
        failed = getattr(self.request.node, "report_call", None)
        if failed is not None and failed.failed:
            SCREENSHOTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", self.request.node.nodeid)
            for number, page in enumerate(self.pages, start=1):
                if not page.is_closed():
                    page.screenshot(path=str(SCREENSHOTS / f"{name}-{number}.png"), full_page=True)
        for page in self.pages:
            page.context.close()


@pytest.fixture
def browser(chromium, live_server, transactional_db, request):
    opened = Browser(chromium, live_server.url, request)
    yield opened
    opened.close()
