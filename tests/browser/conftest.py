"""The browser tests' Chromium: Debian's /usr/bin/chromium driven by
Playwright's sync API, headless, one browser per test."""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own
    # ORM calls are safe because they do not overlap with it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def role_groups(transactional_db):
    """The roles' groups and permissions, as the data migrations made them.
    A transactional test before this one (any live-server test) flushes the
    database when it ends, migration data included, so put them back."""
    from accounts.permissions import sync_role_groups

    sync_role_groups()
