"""A partner institution's administrator writes and publishes a poll of
their institution in Chromium (issue 16), on a 1280 px screen and a 390 px
phone: the editor's pages typed into as rendered, axe finding no WCAG 2.1
A/AA violation on each, the Content Security Policy refusing nothing; the
poll is stored as the institution's and shows in its space,
/org/<slug>/polls/."""

import datetime as dt

import pytest
from django.utils import timezone

from polls.models import Poll, PollStatus
from tests.browser.axe import axe_violations
from tests.browser.staff_pages import DESKTOP, PHONE, staff_page
from tests.factories import DepartmentFactory
from tests.institutions.orgadmin_world import institution, institution_admin
from tests.polls.editor_helpers import a_poll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _problems(page, path) -> list[str]:
    page.wait_for_load_state("networkidle")
    found = [f"{path}: CSP {v}" for v in page.evaluate("window.__cspViolations")]
    return found + [f"{path}: {line}" for line in axe_violations(page)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_institution_admin_writes_and_publishes_a_poll_in_the_browser(
    browser, live_server, role_groups, viewport
):
    sisul = institution("A", name="서울시설공단", short_name="시설공단", slug="sisul")
    department = DepartmentFactory(code="sisul-road", name="도로시설팀", institution=sisul)
    # Another institution's poll, which must show nowhere on their pages
    other = institution("B", name="서울교통공사", slug="metro")
    a_poll(
        title="교통공사 설문: 역 엘리베이터",
        department=DepartmentFactory(code="metro-st", name="역사관리팀", institution=other),
        institution=other,
    )
    admin = institution_admin(sisul, display_name="김관리")
    context, page = staff_page(browser, live_server, admin, viewport)
    found = []

    add = "/admin/polls/poll/add/"
    page.goto(live_server.url + add)
    found += _problems(page, add)
    # The institution is shown, not chosen; the departments are theirs
    assert page.is_disabled("#id_institution")
    assert page.input_value("#id_institution") == str(sisul.pk)
    offered = page.eval_on_selector_all(
        "#id_department option", "(options) => options.map((o) => o.textContent)"
    )
    assert not any("역사관리팀" in label for label in offered)
    start = timezone.localtime(timezone.now() + dt.timedelta(days=1))
    end = start + dt.timedelta(days=14)
    page.select_option("#id_kind", "yes_no")
    page.fill("#id_title", "지하보도에 엘리베이터를 먼저 놓을까요?")
    page.fill("#id_summary", "공단이 시민 여러분께 묻습니다.")
    page.select_option("#id_department", str(department.pk))
    page.fill("#id_starts_at_0", start.strftime("%Y-%m-%d"))
    page.fill("#id_starts_at_1", start.strftime("%H:%M:%S"))
    page.fill("#id_ends_at_0", end.strftime("%Y-%m-%d"))
    page.fill("#id_ends_at_1", end.strftime("%H:%M:%S"))
    page.click("input[name=_save]")
    page.wait_for_url("**/change/")
    poll = Poll.objects.get(title="지하보도에 엘리베이터를 먼저 놓을까요?")
    assert poll.institution == sisul and poll.status == PollStatus.DRAFT
    found += _problems(page, "the new poll's editor")

    # Publishing from the editor's own link
    page.click(f"a[href='/admin/polls/poll/{poll.pk}/publish/']")
    page.wait_for_url(f"**/admin/polls/poll/{poll.pk}/publish/")
    found += _problems(page, "the publish page")
    page.click("#content-main form input[type=submit]")
    page.wait_for_url(f"**/admin/polls/poll/{poll.pk}/change/")
    poll.refresh_from_db()
    assert poll.status == PollStatus.PUBLISHED

    # The staff home and the poll list name their polls, not B's
    for path in ("/admin/", "/admin/polls/poll/?state=all"):
        page.goto(live_server.url + path)
        found += _problems(page, path)
        assert "교통공사 설문" not in page.inner_text("body"), path
    page.goto(live_server.url + "/admin/")
    home = page.inner_text("#content")
    assert "투표를 받고 있는 우리 기관 투표" in home
    assert "지하보도에 엘리베이터를 먼저 놓을까요?" in home

    # It shows in the institution's space
    space = "/org/sisul/polls/"
    page.goto(live_server.url + space)
    found += _problems(page, space)
    assert "지하보도에 엘리베이터를 먼저 놓을까요?" in page.inner_text("main")
    if viewport is PHONE:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{space} scrolls sideways ({width} px)"
    context.close()
    assert found == [], "\n".join(found)
