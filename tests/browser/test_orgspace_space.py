"""A partner institution's space and proposing to it, in Chromium (issue 16):
no Content Security Policy refusal (the brand colour is a nonce'd style, the
form's script a file), no axe finding at 1280 and 390 px, and the form's
script narrowing the categories to the chosen addressee before the member
proposes."""

import pytest

from proposals.models import Proposal
from stats.refresh import refresh
from tests.browser.axe import axe_violations
from tests.browser.test_csp import Visitor
from tests.factories import UserFactory
from tests.institutions.space_world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
SPACE = [
    "/org/",
    "/org/sisul/",
    "/org/sisul/proposals/",
    "/org/sisul/debates/",
    "/org/sisul/polls/",
    "/org/sisul/stats/",
    "/org/closed-org/",
    "/proposals/",
]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_space_runs_under_the_policy_and_axe_finds_nothing(browser, live_server, viewport):
    build_world()
    refresh(full=True)
    visitor = Visitor(browser, live_server)
    visitor.page.set_viewport_size(viewport)
    found = []
    for path in SPACE:
        found += visitor.violations_on(path)
        found += [f"{path}: {line}" for line in axe_violations(visitor.page)]
        visitor.console = []
    # The brand colour reached the page through its nonce'd style
    visitor.page.goto(live_server.url + "/org/sisul/")
    colour = visitor.page.eval_on_selector(".org-head", "el => getComputedStyle(el).borderTopColor")
    visitor.close()
    assert found == [], "\n".join(found)
    assert colour == "rgb(0, 102, 79)"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_member_proposes_to_the_institution_from_its_space(browser, live_server, viewport):
    world = build_world()
    member = UserFactory()
    visitor = Visitor(browser, live_server, member)
    page = visitor.page
    page.set_viewport_size(viewport)
    # From the space's button to the form, the institution chosen
    page.goto(live_server.url + "/org/sisul/")
    page.click('[data-testid="org-propose"]')
    page.wait_for_url("**/proposals/new/?institution=sisul")
    found = visitor.violations_on("/proposals/new/?institution=sisul")
    found += axe_violations(page)
    assert page.input_value("#id_institution") == "sisul"
    # Only its categories are offered; choosing the city offers the city's
    visible = 'Array.from(document.querySelectorAll("#id_category option")).filter(o => !o.hidden && o.value).map(o => o.value)'
    assert page.evaluate(visible) == [str(world.parking.pk)]
    page.select_option("#id_institution", "")
    assert page.evaluate(visible) == [str(world.city_category.pk)]
    page.select_option("#id_institution", "sisul")
    page.select_option("#id_category", str(world.parking.pk))
    page.fill("#id_title", "공영주차장 빈자리 알림판")
    page.fill("#id_body", "공영주차장 입구에 빈자리 수를 알려 주는 알림판을 달아 주세요.")
    page.click('form.card button[type="submit"]')
    page.wait_for_load_state("networkidle")
    proposal = Proposal.objects.get(title="공영주차장 빈자리 알림판")
    assert proposal.institution == world.sisul
    assert page.url.endswith(proposal.get_absolute_url())
    assert page.locator(".badge-institution").first.inner_text() == "시설공단"
    visitor.close()
    assert found == [], "\n".join(found)
