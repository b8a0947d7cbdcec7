"""Browser test fixtures: Playwright driving Debian's /usr/bin/chromium against the live test server.

Playwright's own browser download cannot work on these machines, so the tests launch the
system Chromium. Without it they skip with the reason, except under CI=true where a missing
browser is a failure.
"""

import os
import shutil

import pytest
from django.urls import reverse

CHROMIUM = os.environ.get("DAYI_CHROMIUM", "/usr/bin/chromium")
# The password the make_user fixture of conftest.py gives every test person.
PASSWORD = "pw-Dayi-2026"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# test body are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _share_serialized_database(connections):
    """While Playwright's sync API runs, the test code sees a fresh context, and Django opens
    new connection objects there; they lack the copy of the database that Django keeps on the
    first one to restore reference data after a test that commits (serialized rollback). Kept
    on the class, every connection object finds it."""
    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not shutil.which(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium (scripts/setup --dev)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    _share_serialized_database(connections)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def page(browser, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def no_horizontal_scroll(page) -> bool:
    """At 375 px nothing may push the page wider than the screen. Measured on the page in
    front once it has loaded: right after a click that navigates, the old document may be gone
    and the new one not there yet (seen once under load: documentElement was null)."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(3):
        page.wait_for_load_state()
        try:
            return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(200)
    return False


def log_in(page, base, username, *, keep_cookies=False):
    """Logs in on the login page. Whoever was logged in before is forgotten (their cookies
    dropped), unless keep_cookies: a journey that chose its language keeps that choice."""
    if not keep_cookies:
        page.context.clear_cookies()
    page.goto(base + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


def visit(page, url):
    page.goto(url)
    assert no_horizontal_scroll(page), url
