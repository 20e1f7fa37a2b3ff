"""The meetings' staff screens in Chromium, at a desktop's 1280 px and a
phone's 390 px: the decision table, the meeting page with its "held"
button, the internal agenda and the working review's decisions, each with
no WCAG 2.1 A/AA violation (axe), nothing pushed off a phone's screen, and
the secretary's and the review's work done on a phone."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from meetings.models import AgendaDecision
from tests.browser.axe import axe_violations
from tests.factories import ProposalFactory, operator
from tests.meetings.helpers import external_expert, mayor_office, meeting, on_agenda, review
from tests.pages import log_in_with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def staff_page(browser, live_server, user, viewport):
    """A Chromium tab signed in as `user` with the second factor passed."""
    client = log_in_with_second_factor(Client(), user)
    context = browser.new_context(locale="ko-KR", viewport=viewport)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def overflowing(page, selector: str) -> list[str]:
    """Elements inside `selector` that reach past the window's right edge."""
    return page.evaluate(
        """(selector) => {
          const width = document.documentElement.clientWidth;
          return [...document.querySelectorAll(selector + ' *')]
            .filter((el) => el.offsetParent !== null)
            .filter((el) => el.getBoundingClientRect().right > width + 1)
            .map((el) => el.tagName + '.' + el.className + '#' + (el.id || el.name || ''));
        }""",
        selector,
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_meetings_staff_screens_pass_axe_at_desktop_and_phone_sizes(
    browser, live_server, role_groups, viewport
):
    today = meeting(days=-0.01)
    first, second = on_agenda(today, 2)
    earlier = meeting(days=-60)
    (old,) = on_agenda(earlier)
    from meetings import services

    services.agenda_item_decide(
        item=first, decision=AgendaDecision.ADOPTED, reason="효과가 큽니다.", user=operator()
    )
    services.agenda_item_decide(
        item=old, decision=AgendaDecision.HELD_OVER, reason="더 검토합니다.", user=operator()
    )
    draft = review()
    proposal = ProposalFactory(status="review")
    services.working_review_decide(
        review=draft, proposal=proposal, selected=True, reason="시민 공감", user=operator()
    )
    later = meeting(days=20)
    (asked,) = on_agenda(later)
    services.expert_opinion_request(
        item=asked,
        experts=[external_expert(display_name="김전문")],
        due_date=timezone.localdate() + dt.timedelta(days=5),
        user=operator(),
    )
    page = staff_page(browser, live_server, operator(), viewport)
    screens = [
        f"/admin/meetings/realizationmeeting/{later.pk}/opinions/",
        f"/admin/meetings/realizationmeeting/{today.pk}/decisions/",
        f"/admin/meetings/realizationmeeting/{today.pk}/change/",
        f"/admin/meetings/realizationmeeting/{today.pk}/agenda/internal/",
        f"/admin/meetings/workingreview/{draft.pk}/change/",
        f"/meetings/{today.pk}/agenda/",
    ]
    found = []
    for path in screens:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        found += [f"{path}: {violation}" for violation in axe_violations(page)]
    assert found == [], "\n".join(found)
    page.context.close()


def test_the_secretary_records_the_decisions_on_a_phone(browser, live_server, role_groups):
    target = meeting(days=-0.01)
    first, second = on_agenda(target, 2)
    page = staff_page(browser, live_server, mayor_office(), PHONE)
    page.goto(f"{live_server.url}/admin/meetings/realizationmeeting/{target.pk}/decisions/")

    # Each item is a card that fits the phone's width
    assert overflowing(page, ".decision-table") == []
    row = page.locator(f"#row-{first.pk}")
    row.get_by_label("채택", exact=True).check()
    row.get_by_label("안건 1 사유").fill("시민 공감이 크고 효과가 큽니다.")
    other = page.locator(f"#row-{second.pk}")
    other.get_by_label("불채택", exact=True).check()
    other.get_by_label("안건 2 사유").fill("법령상 어렵습니다.")
    page.get_by_role("button", name="결정 모두 저장").click()
    page.wait_for_load_state("networkidle")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.decision, second.decision) == ("adopted", "not_adopted")
    # Back on the meeting page, the meeting can now be marked held
    page.get_by_role("button", name="회의 개최 완료로 표시").click()
    page.wait_for_load_state("networkidle")
    target.refresh_from_db()
    assert target.is_held
    page.context.close()


def test_the_working_review_is_worked_on_a_phone(browser, live_server, role_groups):
    draft = review()
    proposal = ProposalFactory(status="review", title="걷고 싶은 한강다리")
    from meetings import services

    decision = services.working_review_decide(
        review=draft, proposal=proposal, selected=True, reason="시민 공감", user=operator()
    )
    page = staff_page(browser, live_server, operator(), PHONE)
    page.goto(f"{live_server.url}/admin/meetings/workingreview/{draft.pk}/change/")

    # The decisions are cards whose fields fit the phone and say what they are
    assert overflowing(page, "#decisions-group") == []
    reason = page.locator("#id_decisions-0-reason")
    assert reason.is_visible()
    box = reason.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.locator("label[for=id_decisions-0-reason]").is_visible()
    reason.fill("시민 공감이 크고 실현 가능성이 높습니다.")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state("networkidle")

    decision.refresh_from_db()
    assert decision.reason == "시민 공감이 크고 실현 가능성이 높습니다."
    page.context.close()
