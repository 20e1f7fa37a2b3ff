"""The operators' screens of issue 11 in Chromium, at a phone's width
(390 px) and a desktop's (1280 px): the staff list and a member's staff
page, hand assignment, moving a proposal to another category, the bars'
preview and the audit trail. axe-core finds no WCAG 2.1 A/AA violation on
any of them, the screens built for this issue need no sideways scrolling on
a phone, and the preview is reached the way an operator reaches it: by
changing a bar and pressing save, and runs under the Content Security
Policy."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.audit import audit_record
from proposals.models import PipelineSettings
from tests.browser.axe import axe_violations
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory, official, operator
from tests.pages import log_in_with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _operator_page(browser, live_server, user, viewport):
    """A browser context signed in as `user`, second factor passed (the
    session of tests.pages.log_in_with_second_factor, handed to Chromium)."""
    client = log_in_with_second_factor(Client(), user)
    context = browser.new_context(locale="ko-KR", viewport=viewport)
    # The preview is a POST's answer, not in test_csp's list of pages: its
    # refusals under the policy are recorded here.
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


def _no_sideways_scrolling(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_operator_screens_are_accessible_at_phone_and_desktop_sizes(
    browser, live_server, role_groups, viewport
):
    PipelineSettings.load()
    transport = DepartmentFactory(name="교통정책과", name_en="Transport Policy")
    clerk = official(department=transport, display_name="김담당")
    category = CategoryFactory(default_department=transport)
    proposal = ProposalFactory(category=category, endorsement_count=12)
    staff = operator()
    audit_record(actor=staff, action="accounts.staff_deactivated", target=clerk, params={})
    context, page = _operator_page(browser, live_server, staff, viewport)
    own_screens = [
        reverse("admin:accounts_staffmember_change", args=[clerk.pk]),
        reverse("admin:proposals_proposal_assign", args=[proposal.pk]),
        reverse("admin:proposals_proposal_recategorise", args=[proposal.pk]),
    ]
    lists = [
        reverse("admin:accounts_staffmember_changelist"),
        reverse("admin:accounts_auditrecord_changelist"),
        reverse("admin:proposals_pipelinesettings_change", args=[1]),
    ]
    found = []
    for path in own_screens + lists:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found += [f"{path}: {line}" for line in axe_violations(page)]
        if viewport is PHONE and path in own_screens:
            assert _no_sideways_scrolling(page), path
    # The preview, reached by lowering the answer bar and saving
    page.goto(live_server.url + lists[-1])
    page.fill("input[name=answer_threshold]", "10")
    page.click("input[name=_save]")
    page.wait_for_selector("#preview-promoted")
    assert "1" in page.inner_text("#preview-promoted")
    found += [f"preview: {line}" for line in axe_violations(page)]
    found += page.evaluate("window.__cspViolations")
    if viewport is PHONE:
        assert _no_sideways_scrolling(page)
    # confirmed, it is saved
    page.click("input[name=_confirm]")
    page.wait_for_load_state()
    assert PipelineSettings.load().answer_threshold == 10
    context.close()
    assert found == [], "\n".join(found)
