"""The member's mileage page and the rankings in Chromium, at a phone's width
(390 px) and a desktop's (1280 px): axe-core finds no WCAG 2.1 A/AA
violation, the Content Security Policy refuses nothing, and nothing scrolls
sideways on a phone."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.grades import Grade
from accounts.participation import Action
from mileage.models import MileageRule
from tests.browser.test_amendments import DESKTOP, PHONE, _check
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.factories import CommentFactory, ProposalFactory, UserFactory
from tests.mileage.given import earn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser, live_server, user, viewport):
    context = browser.new_context(locale="ko-KR", viewport=viewport)
    context.add_init_script(RECORD_VIOLATIONS)
    client = Client()
    client.force_login(user)
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


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_mileage_pages_are_accessible(browser, live_server, viewport):
    # Given a member with a ledger and a ranking of several members
    MileageRule.objects.update_or_create(
        action=Action.PROPOSE, defaults={"points": 30, "daily_cap": 90}
    )
    MileageRule.objects.update_or_create(
        action=Action.COMMENT, defaults={"points": 5, "daily_cap": 0}
    )
    member = UserFactory(nickname="아주아주긴닉네임을가진한강산책러")
    proposal = ProposalFactory(
        author=member, title="한강 다리를 걷고 싶은 다리로 바꾸는 아주 긴 제목의 제안"
    )
    earn(member, 620, proposal=proposal)
    credit = earn(
        member,
        5,
        action=Action.COMMENT,
        source=CommentFactory(proposal=proposal),
        proposal=proposal,
    )
    earn(member, -5, action=Action.COMMENT, source=credit, proposal=proposal, reverses=credit)
    for n, grade_points in enumerate([12000, 2500, 150, 30]):
        earn(UserFactory(nickname=f"이웃{n}"), grade_points)
    assert member.mileage_grade == Grade.TREE

    context, page = _page(browser, live_server, member, viewport)
    found = []
    for path in (
        "/me/mileage/",
        "/mileage/ranking/",
        "/me/",
        "/accounts/profile/",
        proposal.get_absolute_url(),
    ):
        found += _check(page, live_server, path)
    context.close()
    assert found == []


def test_a_phone_shows_each_entrys_points_without_scrolling_sideways(browser, live_server):
    # Given a member whose ledger entry comes from a proposal with a long title
    member = UserFactory()
    proposal = ProposalFactory(
        author=member, title="한강 다리를 걷고 싶은 다리로 바꾸는 아주 긴 제목의 제안"
    )
    earn(member, 30, proposal=proposal)

    # When they open their mileage on a phone
    context, page = _page(browser, live_server, member, PHONE)
    page.goto(live_server.url + "/me/mileage/")

    # Then the entry's points are on the screen, named "점수" (the table's
    # four columns had pushed them out of sight, into a sideways scroll)
    points = page.locator("table.ledger tbody tr").first.locator("td.num")
    box = points.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    assert points.inner_text() == "+30"
    label = points.evaluate("cell => getComputedStyle(cell, '::before').content")
    context.close()
    assert "점수" in label
