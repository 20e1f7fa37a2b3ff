"""A partner institution's administrator runs their institution's debate in
Chromium (issue 16), on a 1280 px screen and a 390 px phone: they hide an
argument from the proposal's page, with a reason, and publish the results
of a closed debate through the admin's action and its form, both found on
their staff home. Every page
passes axe (WCAG 2.1 A/AA), the Content Security Policy refuses nothing,
nothing scrolls sideways on the phone, and what was typed is stored."""

import pytest

from debates import services
from debates.models import Argument, Debate
from proposals.models import ProposalStatus
from tests.browser.staff_pages import DESKTOP, PHONE, findings, staff_page
from tests.debates.helpers import closed_debate, open_debate
from tests.factories import CategoryFactory, DepartmentFactory, UserFactory
from tests.institutions.orgadmin_world import institution, institution_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sisul(role_groups):
    own = institution("A", name="서울시설공단", short_name="시설공단")
    department = DepartmentFactory(code="sisul-road", name="도로시설팀", institution=own)
    category = CategoryFactory(
        code="sisul-roads", name="도로 시설", default_department=department, institution=own
    )
    running = open_debate(
        title="시설공단 토론: 보행로를 넓혀 주세요", category=category, institution=own
    )
    argument = services.argument_create(
        debate=running, author=UserFactory(), side="against", body="광고 링크가 담긴 논거예요."
    )
    closed = closed_debate(
        title="시설공단 토론: 따릉이 정류소를 늘려 주세요", category=category, institution=own
    )
    return {
        "admin": institution_admin(own, display_name="김관리"),
        "running": running,
        "argument": argument,
        "closed": closed,
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_an_institution_admin_hides_an_argument_and_publishes_results(
    browser, live_server, sisul, viewport
):
    context, page = staff_page(browser, live_server, sisul["admin"], viewport)
    found = []

    # Their home lists the debate to publish and the one still open.
    page.goto(live_server.url + "/admin/")
    found += findings(page, viewport)
    home = page.inner_text("#content")
    assert "결과를 공개할 우리 기관 토론" in home and "진행 중인 우리 기관 토론" in home
    assert "따릉이 정류소를 늘려 주세요" in home and "보행로를 넓혀 주세요" in home

    # Hide the argument from the proposal's page, with a reason.
    argument = sisul["argument"]
    page.goto(live_server.url + sisul["running"].proposal.get_absolute_url())
    found += findings(page, viewport)
    article = page.locator(f"#argument-{argument.pk}")
    article.locator("input[name=reason]").fill("광고 링크예요")
    article.locator("button[name=action]").click()
    page.wait_for_load_state("networkidle")
    assert "숨겼어요." in page.inner_text("body")
    found += findings(page, viewport)
    argument.refresh_from_db()
    assert (argument.is_hidden, argument.hidden_reason) == (True, "광고 링크예요")
    # The text stays visible to them, marked hidden, with the restore form.
    article = page.locator(f"#argument-{argument.pk}")
    assert "광고 링크가 담긴 논거예요." in article.inner_text()

    # Publish the closed debate's results through the admin.
    debate = sisul["closed"]
    page.goto(live_server.url + "/admin/debates/debate/")
    found += findings(page, viewport)
    page.check(f"input[name=_selected_action][value='{debate.pk}']")
    page.select_option("select[name=action]", "publish_summary")
    page.click("button[name=index]")
    page.wait_for_selector("textarea[name=summary]")
    found += findings(page, viewport)
    page.fill("textarea[name=summary]", "찬성이 우세했어요.\n정류소 위치는 과제로 남았어요.")
    page.click("input[type=submit].default")
    page.wait_for_load_state("networkidle")
    assert "“시설공단 토론: 따릉이 정류소를 늘려 주세요” 토론 결과를 공개했어요." in (
        page.inner_text("body")
    )
    found += findings(page, viewport)
    context.close()

    debate = Debate.objects.select_related("proposal").get(pk=debate.pk)
    assert debate.summary == "찬성이 우세했어요.\n정류소 위치는 과제로 남았어요."
    assert debate.summary_by == sisul["admin"]
    assert debate.proposal.status == ProposalStatus.REVIEW
    assert Argument.objects.get(pk=argument.pk).is_hidden
    assert found == [], "\n".join(found)
