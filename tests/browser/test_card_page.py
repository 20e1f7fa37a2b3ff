"""The management card's page in Chromium, as staff use it at a desk
(1280 px) and on a phone (390 px): the overdue report and the missing owner
flagged in words, the stage changed and an owner named on the card itself,
a report written before it is asked for; axe finds no WCAG 2.1 A/AA
violation on the card page or the pages its forms lead to."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.permissions import sync_role_groups
from tests.browser.axe import axe_violations
from tests.factories import image_file, official, operator
from tests.pages import log_in_with_second_factor
from tests.tracking.helpers import adopted_card, requested_report
from tracking import services
from tracking.models import CardStage, ProgressReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def own_violations(page) -> list[str]:
    """axe's findings, but for the admin's breadcrumbs (links told apart by
    colour only): Django's on every admin page, left to issue 11's `look`
    part (the admin's own CSS)."""
    return [line for line in axe_violations(page) if "at ['.breadcrumbs" not in line]


def staff_page(browser, live_server, user, size):
    """A Korean browser signed in as `user`, second factor passed."""
    client = log_in_with_second_factor(Client(), user)
    context = browser.new_context(locale="ko-KR", viewport=SIZES[size])
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


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_card_page_flags_its_work_and_does_it(browser, live_server, size):
    # A transactional test empties the tables after itself, the role groups'
    # admin permissions (given by migrations) too: set them again.
    sync_role_groups()
    card = adopted_card()
    colleague = official(card.department, display_name="김담당")
    report = requested_report(card)
    ProgressReport.objects.filter(pk=report.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=3)
    )
    context, page = staff_page(browser, live_server, operator(), size)
    card_url = f"{live_server.url}/admin/tracking/managementcard/{card.pk}/change/"

    page.goto(card_url)
    work = page.get_by_test_id("card-work")
    expect(work).to_contain_text("⚠ 담당자 없음")
    expect(work).to_contain_text("3일 늦음")
    assert own_violations(page) == []

    # The stage, on the card itself.
    work.get_by_label("새 단계").select_option(CardStage.PLANNING)
    work.locator("#id_stage-note").fill("설계 착수")
    work.get_by_role("button", name="단계 바꾸기").click()
    expect(page.locator(".messagelist")).to_contain_text("계획")
    card.refresh_from_db()
    assert card.stage == CardStage.PLANNING

    # The owner, on the card itself.
    work = page.get_by_test_id("card-work")
    work.get_by_label("새 담당자").select_option(str(colleague.pk))
    work.locator("#id_owner-note").fill("담당 지정")
    work.get_by_role("button", name="담당자로 지정").click()
    expect(page.locator(".messagelist")).to_contain_text("김담당")
    card.refresh_from_db()
    assert card.responsible_official == colleague

    # A report, from the card's link.
    page.get_by_test_id("write-report").click()
    assert own_violations(page) == []
    page.get_by_label("한 일").fill("부지 측량 완료")
    page.locator("#id_percent_complete").fill("15")
    page.get_by_role("button", name="보고 제출").click()
    expect(page).to_have_url(card_url)
    report.refresh_from_db()
    assert (report.status, report.percent_complete) == ("submitted", 15)
    context.close()


def test_the_dashboard_and_a_card_with_an_attachment_have_no_axe_finding(browser, live_server):
    """Found by the staff walk of issue 12: the dashboard's overdue and
    ownerless lists, and the "view on site" link in each attachment's
    heading, were links told apart by colour only."""
    sync_role_groups()
    boss = operator()
    card = adopted_card()
    services.card_attach(card=card, user=boss, title="현장 사진", photo=image_file())
    report = requested_report(card)
    ProgressReport.objects.filter(pk=report.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=3)
    )
    context, page = staff_page(browser, live_server, boss, "desktop")
    page.goto(f"{live_server.url}/admin/tracking/managementcard/dashboard/")
    expect(page.get_by_test_id("overdue")).to_contain_text(card.proposal.title)
    expect(page.get_by_test_id("ownerless")).to_contain_text(card.proposal.title)
    assert own_violations(page) == []
    page.goto(f"{live_server.url}/admin/tracking/managementcard/{card.pk}/change/")
    expect(page.locator("body")).to_contain_text("현장 사진")
    assert own_violations(page) == []
    context.close()
