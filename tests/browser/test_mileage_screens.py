"""The mileage screens of the admin in Chromium, at a phone's width (390 px)
and a desktop's (1280 px): the ledger, an entry, the adjustment, the rules
and the settings. axe-core finds no WCAG 2.1 A/AA violation, and the
adjustment screen (built here) needs no sideways scrolling on a phone."""

import pytest
from django.urls import reverse

from accounts.participation import Action, participated
from mileage.defaults import ensure_defaults
from mileage.models import MileageEntry
from tests.browser.axe import axe_violations
from tests.browser.test_operator_screens import (
    DESKTOP,
    PHONE,
    _no_sideways_scrolling,
    _operator_page,
)
from tests.factories import CommentFactory, operator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_mileage_screens_are_accessible_at_phone_and_desktop_sizes(
    browser, live_server, role_groups, viewport
):
    ensure_defaults()
    comment = CommentFactory()
    participated(action=Action.COMMENT, member_id=comment.author_id, source=comment)
    entry = MileageEntry.objects.get()
    context, page = _operator_page(browser, live_server, operator(), viewport)
    adjust = reverse("admin:mileage_mileageentry_adjust")
    screens = [
        reverse("admin:mileage_mileageentry_changelist"),
        reverse("admin:mileage_mileageentry_change", args=[entry.pk]),
        adjust,
        reverse("admin:mileage_mileagerule_changelist"),
        reverse("admin:mileage_mileagesettings_change", args=[1]),
    ]
    found = []
    for path in screens:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found += [f"{path}: {line}" for line in axe_violations(page)]
        if path == adjust and viewport is PHONE:
            assert _no_sideways_scrolling(page), path
    # An adjustment refused (no note) shows its errors accessibly too.
    page.goto(live_server.url + adjust)
    page.fill("#id_email", "nobody@example.com")
    page.fill("#id_points", "10")
    page.click("input[type=submit]")
    found += [f"{adjust} (errors): {line}" for line in axe_violations(page)]
    assert page.locator(".errorlist").count() >= 2
    context.close()
    assert found == []
