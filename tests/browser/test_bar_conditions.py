"""The bar's conditions on a proposal's page in Chromium, on a phone
(390 px) and at a desk (1280 px): each condition on one readable line, the
met ones marked in words too, and axe finds no WCAG 2.1 A/AA violation."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from proposals.models import PipelineSettings, ProposalStatus
from tests.browser.axe import axe_violations
from tests.factories import ProposalFactory
from tests.pipeline.helpers import panel_rated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_debate_conditions_read_well_and_pass_axe(browser, live_server, size):
    settings_row = PipelineSettings.load()
    settings_row.debate_threshold = 500
    settings_row.debate_min_comments = 10
    settings_row.debate_min_views = 1000
    settings_row.debate_min_panel_score = Decimal("3.50")
    settings_row.debate_min_panel_raters = 3
    settings_row.save()
    proposal = ProposalFactory(
        status=ProposalStatus.ANSWERED,
        endorsement_count=480,
        comment_count=12,
        view_count=900,
    )
    panel_rated(proposal, (4, 4, 4), (4, 4, 4), (4, 4, 3), (4, 4, 3))  # 46 / 12 = 3.83
    context = browser.new_context(locale="ko-KR", viewport=SIZES[size])
    page = context.new_page()
    page.goto(live_server.url + proposal.get_absolute_url())
    box = page.get_by_test_id("bar-conditions")
    expect(box).to_contain_text("토론까지")
    expect(box).to_contain_text("조건 5개 중 3개 충족")
    expect(page.get_by_test_id("bar-comment_count")).to_contain_text("충족")
    expect(page.get_by_test_id("bar-endorsement_count")).to_contain_text("아직")
    # each condition on one line: label, numbers and mark side by side
    for field in ("endorsement_count", "panel_score", "panel_rating_count"):
        line = page.get_by_test_id(f"bar-{field}").bounding_box()
        assert line["height"] < 40, f"{field} wraps at {size}"
    found = axe_violations(page)
    context.close()
    assert found == [], "\n".join(found)
