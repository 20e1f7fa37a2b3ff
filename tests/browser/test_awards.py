"""The award pages in Chromium, at 1280 px and on a 390 px phone: axe finds
no WCAG 2.1 A/AA violation on the public pages (이달의 상상지기, the best
creative policies), the proposer's page with their reward, and the
operators' award screens (the round's confirmation, the reward and
best-policy forms on a card, the lists)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from awards import services
from proposals import services as proposal_services
from tests.browser.axe import axe_violations
from tests.factories import DepartmentFactory, ProposalFactory, official, operator
from tests.pages import log_in_with_second_factor
from tests.tracking.helpers import at_stage
from tracking.models import CardStage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def award_world():
    """A confirmed month, a month waiting, a rewarded and best completed item."""
    boss = operator()
    roads = DepartmentFactory(name="도로과")
    people = [official(roads, display_name=name) for name in ("김도로", "이보행", "박공원")]
    this_month = timezone.localdate().replace(day=1)
    last_month = services.previous_month(timezone.now())
    # Comments written last month and this month (the clock moved back for the first).
    for month in (last_month, this_month):
        with time_machine.travel(services.month_bounds(month)[0] + dt.timedelta(hours=10)):
            for person in people:
                proposal_services.comment_create(
                    proposal=ProposalFactory(), author=person, body="검토하겠습니다."
                )
    confirmed = services.monthly_award_rank(now=timezone.now())
    services.monthly_award_confirm(
        award=confirmed, winner_ids=[c.pk for c in confirmed.candidates.all()][:2], user=boss
    )
    waiting = services.monthly_award_rank(now=services.month_bounds(this_month)[1])
    confirmed.refresh_from_db()
    assert (confirmed.status, waiting.status) == ("confirmed", "waiting")
    card = at_stage(CardStage.COMPLETED, title="한강 다리 보행로 넓히기")
    services.reward_record(
        card=card,
        user=boss,
        kind="culture_voucher",
        amount_won=50000,
        given_on=timezone.localdate(),
    )
    services.best_policy_mark(
        card=card, user=boss, year=timezone.localdate().year, citation="좋은 정책"
    )
    fresh = at_stage(CardStage.COMPLETED)
    return {
        "operator": boss,
        "card": card,
        "fresh": fresh,
        "confirmed": confirmed,
        "waiting": waiting,
    }


def _page(browser, live_server, viewport, user=None):
    context = browser.new_context(locale="ko-KR", viewport=viewport)
    if user is not None:
        client = Client()
        log_in_with_second_factor(client, user) if user.is_staff else client.force_login(user)
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


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_axe_finds_nothing_on_the_award_pages(browser, live_server, role_groups, viewport):
    world = award_world()
    card, fresh = world["card"], world["fresh"]
    visits = [
        (None, ["/awards/", "/awards/best/"]),
        (card.proposal.author, ["/me/"]),
        (
            world["operator"],
            [
                "/admin/",
                "/admin/awards/monthlyaward/?status=all",
                f"/admin/awards/monthlyaward/{world['waiting'].pk}/change/",
                f"/admin/awards/monthlyaward/{world['confirmed'].pk}/change/",
                "/admin/awards/proposerreward/",
                f"/admin/awards/proposerreward/record/{card.pk}/",
                "/admin/awards/bestpolicy/",
                f"/admin/awards/bestpolicy/mark/{fresh.pk}/",
                f"/admin/tracking/managementcard/{fresh.pk}/change/",
            ],
        ),
    ]
    found = []
    for user, paths in visits:
        context, page = _page(browser, live_server, viewport, user)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{path}: {response.status}"
            found += [f"{path}: {line}" for line in axe_violations(page)]
        context.close()
    assert found == []
