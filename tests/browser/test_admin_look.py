"""The staff screens as an operator reads them in Chromium, on a 1280 px
screen and a 390 px phone: axe finds no WCAG 2.1 A/AA violation on the admin
index, the main lists and their change pages; titles get a readable column,
deadlines stay on screen on a phone, and an overdue row says so in words."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from answers.models import Assignment
from debates import services as debate_services
from panel.models import PanelApplication
from tests.answers.helpers import assigned
from tests.browser.axe import axe_violations
from tests.debates.helpers import open_debate
from tests.factories import UserFactory, operator
from tests.meetings.helpers import meeting, on_agenda
from tests.pages import log_in_with_second_factor
from tests.tracking.helpers import adopted_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

LONG_TITLE = "한강 다리 보행로를 넓히고 쉼터와 그늘막을 만들어 걷고 싶은 다리로 바꿔 주세요"


def _operator_page(browser, live_server, user, viewport):
    """A Korean Chromium page signed in as `user` with the second factor
    passed, its session cookie handed over from the test client."""
    client = Client()
    log_in_with_second_factor(client, user)
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
    return context, context.new_page()


@pytest.fixture
def staff_world(role_groups):
    debate = open_debate(title=LONG_TITLE)
    debate_services.stance_set(debate=debate, user=UserFactory(), position="for")
    upcoming = meeting(days=7)
    on_agenda(upcoming)
    overdue = assigned(title=LONG_TITLE)
    Assignment.objects.filter(pk=overdue.pk).update(
        assigned_at=timezone.now() - timedelta(days=20),
        deadline=timezone.now() - timedelta(days=3),
    )
    card = adopted_card(title=LONG_TITLE)
    application = PanelApplication.objects.create(
        member=UserFactory(display_name="상상누리단 신청자"), motivation=LONG_TITLE
    )
    return {
        "panel_application": application,
        "debate": debate,
        "meeting": upcoming,
        "assignment": overdue,
        "card": card,
        "operator": operator(),
    }


def _pages(world):
    return [
        "/admin/",
        "/admin/panel/panelapplication/",
        f"/admin/panel/panelapplication/{world['panel_application'].pk}/change/",
        "/admin/panel/panelrating/",
        "/admin/proposals/proposal/",
        f"/admin/proposals/proposal/{world['debate'].proposal.pk}/change/",
        "/admin/answers/assignment/",
        f"/admin/answers/assignment/{world['assignment'].pk}/change/",
        "/admin/debates/debate/",
        f"/admin/debates/debate/{world['debate'].pk}/change/",
        "/admin/meetings/realizationmeeting/",
        f"/admin/meetings/realizationmeeting/{world['meeting'].pk}/change/",
        "/admin/meetings/agendaitem/",
        "/admin/tracking/managementcard/",
        f"/admin/tracking/managementcard/{world['card'].pk}/change/",
        "/admin/tracking/progressreport/",
        "/admin/proposals/category/",  # its editable order column
        "/admin/accounts/user/",
        f"/admin/accounts/user/{world['operator'].pk}/change/",
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_axe_finds_nothing_on_the_operators_lists_and_forms(
    browser, live_server, staff_world, viewport
):
    context, page = _operator_page(browser, live_server, staff_world["operator"], viewport)
    found = []
    for path in _pages(staff_world):
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        found += [f"{path}: {line}" for line in axe_violations(page)]
    context.close()
    assert found == [], "\n".join(found)


def test_axe_finds_nothing_on_the_superusers_role_page(browser, live_server, role_groups):
    # The two-box selector of a group's permissions (Django's SelectFilter2)
    admin = UserFactory(is_staff=True, is_superuser=True)
    context, page = _operator_page(browser, live_server, admin, DESKTOP)
    page.goto(live_server.url + "/admin/auth/group/add/")
    page.wait_for_load_state("load")
    page.wait_for_selector(".selector")
    found = axe_violations(page)
    context.close()
    assert found == [], "\n".join(found)


def test_titles_have_room_and_overdue_rows_say_so_at_1280(browser, live_server, staff_world):
    context, page = _operator_page(browser, live_server, staff_world["operator"], DESKTOP)
    for path, title_cell in [
        ("/admin/answers/assignment/", "#result_list .field-proposal_title"),
        ("/admin/debates/debate/", "#result_list .field-proposal_title"),
        ("/admin/tracking/managementcard/", "#result_list .field-proposal"),
    ]:
        page.goto(live_server.url + path)
        box = page.locator(title_cell).first.bounding_box()
        assert box["width"] >= 200, f"{path}: title column {box['width']} px"
    page.goto(live_server.url + "/admin/answers/assignment/")
    row = page.locator("#result_list tbody tr", has_text=LONG_TITLE)
    assert "기한 지남" in row.locator(".dday").inner_text()
    assert "3일 지남" in row.locator(".dday").inner_text()
    # the list says what it shows by default and how to see everything
    assert page.get_by_test_id("list-note").is_visible()
    context.close()


def test_on_a_phone_rows_stack_and_the_deadline_stays_on_screen(browser, live_server, staff_world):
    context, page = _operator_page(browser, live_server, staff_world["operator"], PHONE)
    for path in ["/admin/answers/assignment/", "/admin/tracking/managementcard/"]:
        page.goto(live_server.url + path)
        dday = page.locator("#result_list tbody tr .dday").first
        box = dday.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{path}: {box}"
        # each value is named by its column, as the table header named it
        assert dday.locator("xpath=..").get_attribute("data-label")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px"
    context.close()
