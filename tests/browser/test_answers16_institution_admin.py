"""An institution's administrator runs their institution's answers in
Chromium (issue 16): from their staff home they open a submitted answer's
workroom and publish it, then decide a department's reassignment request,
on a 1280 px screen and a 390 px phone. axe finds no WCAG 2.1 A/AA
violation on the pages they pass, the Content Security Policy refuses
nothing, nothing scrolls sideways on the phone; what they pressed is
stored."""

import pytest
from django.urls import reverse

from answers import services
from answers.models import Answer, AnswerStatus, Assignment, ReassignmentRequest, ReassignmentStatus
from tests.answers.helpers import assigned, submitted
from tests.browser.staff_pages import DESKTOP, PHONE, staff_page, visit
from tests.factories import CategoryFactory, DepartmentFactory, official
from tests.institutions.orgadmin_world import institution, institution_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def answers_world(role_groups):
    own = institution("A", name="서울시설공단", short_name="시설공단")
    roads = DepartmentFactory(code="sisul-road", name="도로시설팀", institution=own)
    venues = DepartmentFactory(code="sisul-venue", name="시설운영팀", institution=own)
    category = CategoryFactory(
        code="sisul-roads", name="도로 시설", default_department=roads, institution=own
    )
    clerk = official(department=roads, display_name="정다은")
    answer = submitted(
        assigned(roads, category=category, institution=own, title="보도블록을 고쳐 주세요"),
        by=clerk,
    )
    request = services.reassignment_request(
        assignment=assigned(
            roads, category=category, institution=own, title="체육관 자전거 거치대를 늘려 주세요"
        ),
        user=clerk,
        reason="체육시설은 시설운영팀 소관입니다.",
        suggested_department=venues,
    )
    admin = institution_admin(own, display_name="박공단")
    return {"answer": answer, "request": request, "venues": venues, "admin": admin}


def _workroom(assignment_id) -> str:
    return reverse("admin:answers_assignment_change", args=[assignment_id])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_institution_admin_publishes_an_answer_and_decides_a_request(
    browser, live_server, answers_world, viewport
):
    answer, request = answers_world["answer"], answers_world["request"]
    context, page = staff_page(browser, live_server, answers_world["admin"], viewport)
    found = visit(page, live_server, "/admin/", viewport)
    # The home lists both pieces of work; each row opens its workroom.
    home = page.content()
    assert "보도블록을 고쳐 주세요" in home and "체육관 자전거 거치대를 늘려 주세요" in home

    found += visit(page, live_server, _workroom(answer.assignment_id), viewport)
    page.click('input[name="_publish"]')
    page.wait_for_load_state("networkidle")
    assert Answer.objects.get(pk=answer.pk).status == AnswerStatus.PUBLISHED
    assert page.locator(".messagelist .success").count() == 1
    found += [f"after publishing: {line}" for line in _check_here(page, viewport)]

    found += visit(page, live_server, _workroom(request.assignment_id), viewport)
    # The department's suggestion is chosen already; the reason is optional.
    chosen = page.locator('select[name="decide-department"]').input_value()
    assert chosen == str(answers_world["venues"].pk)
    page.click('input[name="_approve_reassignment"]')
    page.wait_for_load_state("networkidle")
    decided = ReassignmentRequest.objects.get(pk=request.pk)
    assert decided.status == ReassignmentStatus.APPROVED
    assert decided.decided_by == answers_world["admin"]
    current = Assignment.objects.get(proposal_id=request.assignment.proposal_id, is_current=True)
    assert current.department == answers_world["venues"]
    # They follow the proposal to its new workroom.
    assert page.url == live_server.url + _workroom(current.pk)
    found += [f"after deciding: {line}" for line in _check_here(page, viewport)]
    context.close()
    assert found == [], "\n".join(found)


def _check_here(page, viewport) -> list[str]:
    """_check on the page as it is (after a button's redirect)."""
    from tests.browser.axe import axe_violations

    found = list(page.evaluate("window.__cspViolations")) + axe_violations(page)
    if viewport is PHONE:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            found.append(f"scrolls sideways ({width} px)")
    return found
