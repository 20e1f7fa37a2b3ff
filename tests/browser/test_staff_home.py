"""Each role's home ("오늘 할 일") in Chromium, on a phone (390 px) and a
desktop (1280 px): no WCAG 2.1 A/AA violation axe can find, nothing pushing
the page sideways, and every section there."""

import pytest
from django.conf import settings
from django.test import Client

from tests.accounts.home_helpers import home_world
from tests.browser.axe import axe_violations
from tests.pages import log_in_with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
MEMBERS = ["official_a", "head_a", "operator", "mayor", "expert"]


def staff_context(browser, live_server, user, size):
    """A browser signed in as `user`, second factor given, reading Korean."""
    client = Client()
    log_in_with_second_factor(client, user)
    width, height = SIZES[size]
    context = browser.new_context(locale="ko-KR", viewport={"width": width, "height": height})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_each_roles_home_reads_well_on_a_phone_and_a_desktop(browser, live_server, role_groups):
    world = home_world()
    problems = []
    for who in MEMBERS:
        for size in SIZES:
            context = staff_context(browser, live_server, getattr(world, who), size)
            page = context.new_page()
            response = page.goto(live_server.url + "/admin/")
            assert response.status == 200, (who, size)
            assert page.locator("h1").first.inner_text() == "오늘 할 일"
            assert page.locator(".home-section").count() >= 1, (who, size)
            problems += [f"{who} {size}: {line}" for line in axe_violations(page)]
            wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if wide > 0:
                problems.append(f"{who} {size}: the page is {wide} px wider than the screen")
            context.close()
    assert problems == []
