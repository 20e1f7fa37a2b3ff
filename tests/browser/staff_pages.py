"""A staff member's Chromium page for the browser tests: signed in with the
second factor passed, recording every CSP refusal, and what is wrong with a
page as it stands (CSP refusals, axe findings, sideways scroll on a phone)."""

from django.conf import settings
from django.test import Client

from tests.browser.axe import axe_violations
from tests.pages import log_in_with_second_factor

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Installed before any page script runs (Playwright injects it past the
# policy): every refusal on the page is kept for the test to read.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`
  );
});
"""


def staff_page(browser, live_server, user, viewport):
    """A Korean Chromium context and page signed in as `user` with the
    second factor passed, recording CSP refusals."""
    client = Client()
    log_in_with_second_factor(client, user)
    context = browser.new_context(locale="ko-KR", viewport=viewport)
    context.add_init_script(RECORD_VIOLATIONS)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context, context.new_page()


def findings(page, viewport) -> list[str]:
    """What is wrong with the page as it stands."""
    page.wait_for_load_state("networkidle")
    path = page.url
    found = [f"{path}: CSP {v}" for v in page.evaluate("window.__cspViolations")]
    found += [f"{path}: {line}" for line in axe_violations(page)]
    if viewport is PHONE:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            found.append(f"{path}: scrolls sideways ({width} px)")
    return found


def visit(page, live_server, path, viewport) -> list[str]:
    """Open `path`, which must answer 200 where it is (no redirect), and say
    what is wrong with it (findings)."""
    response = page.goto(live_server.url + path)
    assert response.status == 200, f"{path}: {response.status}"
    assert page.url == live_server.url + path, f"{path} went to {page.url}"
    return findings(page, viewport)
