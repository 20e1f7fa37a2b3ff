"""Amending a published answer in Chromium, at a phone's width (390 px) and
a desktop's (1280 px): the official's amendment form and the operator's
approval in the workroom, the operators' list of amendments, and the public
panel with its history opened. axe-core finds no WCAG 2.1 A/AA violation,
nothing scrolls sideways on a phone, and the history opens without
JavaScript's help (a <details>)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from answers import services
from tests.answers.helpers import COMPLETE, assigned, clerk_of, published
from tests.browser.axe import axe_violations
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.factories import DepartmentFactory, operator
from tests.pages import log_in_with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _page(browser, live_server, user, viewport):
    context = browser.new_context(locale="ko-KR", viewport=viewport)
    context.add_init_script(RECORD_VIOLATIONS)
    if user is not None:
        client = log_in_with_second_factor(Client(), user)
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


def _check(page, live_server, path) -> list[str]:
    response = page.goto(live_server.url + path)
    assert response.status == 200, path
    page.wait_for_load_state("networkidle")
    # The policy's refusals first: axe-core, once run, adds its own.
    found = [f"{path}: CSP {v}" for v in page.evaluate("window.__cspViolations")]
    found += [f"{path}: {line}" for line in axe_violations(page)]
    if not page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    ):
        found.append(f"{path}: scrolls sideways")
    return found


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_amendment_screens_are_accessible(browser, live_server, role_groups, viewport):
    roads = DepartmentFactory(name="도로계획과", name_en="Road Planning Division")
    boss = operator()
    # One answer amended once and amended again (waiting), one to amend.
    amended = assigned(roads, title="한강 다리 보행로를 넓혀 주세요")
    answer = published(amended, by=boss)
    clerk = clerk_of(amended)
    for n, budget in enumerate((150_000_000, 170_000_000)):
        amendment = services.amendment_save(
            answer=answer,
            user=clerk,
            reason="예산 변경" if n == 0 else "설계비 추가",
            **{**COMPLETE, "estimated_budget": budget},
        )
        services.amendment_submit(amendment=amendment, user=clerk)
        if n == 0:
            services.amendment_approve(amendment=amendment, user=boss)
    to_amend = assigned(roads, title="교량 전망 쉼터를 만들어 주세요")
    published(to_amend, by=boss)

    found = []
    context, page = _page(browser, live_server, clerk, viewport)
    path = reverse("admin:answers_assignment_change", args=[to_amend.pk])
    page.goto(live_server.url + path)
    page.get_by_text("공개된 답변 수정하기").click()  # opens the form's <details>
    found += [f"{path} (form open): {line}" for line in axe_violations(page)]
    found += _check(
        page, live_server, reverse("admin:answers_assignment_change", args=[amended.pk])
    )
    context.close()

    context, page = _page(browser, live_server, boss, viewport)
    for path in (
        reverse("admin:answers_assignment_change", args=[amended.pk]),
        reverse("admin:answers_answeramendment_changelist"),
        reverse("admin:index"),
    ):
        found += _check(page, live_server, path)
    context.close()

    context, page = _page(browser, live_server, None, viewport)
    path = amended.proposal.get_absolute_url()
    found += _check(page, live_server, path)
    page.get_by_text("수정 이력").click()
    assert page.get_by_text("설계비 추가").count() == 0  # still waiting: not public
    assert page.get_by_text("수정 전:").first.is_visible()
    found += [f"{path} (history open): {line}" for line in axe_violations(page)]
    context.close()

    assert found == [], "\n".join(found)
