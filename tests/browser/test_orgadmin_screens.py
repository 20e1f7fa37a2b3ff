"""The partner institution screens in Chromium (issue 16): the operators'
registration of an institution (its page, its administrators) and an
institution administrator's staff home and lists, on a 1280 px screen and a
390 px phone: axe finds no WCAG 2.1 A/AA violation, the Content Security
Policy refuses nothing, nothing scrolls sideways on the phone; a
registration typed in the browser is stored."""

import pytest

from accounts.models import Institution
from tests.answers.helpers import assigned
from tests.browser.staff_pages import DESKTOP, PHONE, staff_page, visit
from tests.factories import CategoryFactory, DepartmentFactory, UserFactory, operator
from tests.institutions.orgadmin_world import institution, institution_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def org_world(role_groups):
    own = institution("A", name="서울시설공단", short_name="시설공단")
    other = institution("B", name="서울교통공사")
    department = DepartmentFactory(code="sisul-road", name="도로시설팀", institution=own)
    category = CategoryFactory(
        code="sisul-roads", name="도로 시설", default_department=department, institution=own
    )
    mine = assigned(
        department,
        category=category,
        institution=own,
        title="시설공단 제안: 보도블록을 고쳐 주세요",
    )
    theirs_department = DepartmentFactory(code="metro", name="역사관리팀", institution=other)
    theirs = assigned(
        theirs_department,
        category=CategoryFactory(default_department=theirs_department, institution=other),
        institution=other,
        title="교통공사 제안: 역 엘리베이터를 늘려 주세요",
    )
    admin = institution_admin(own, display_name="김관리")
    UserFactory(email="candidate@example.com", display_name="이후보")
    return {"own": own, "mine": mine, "theirs": theirs, "admin": admin, "operator": operator()}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_registration_screens_pass_axe_and_the_policy(
    browser, live_server, org_world, viewport
):
    own = org_world["own"]
    context, page = staff_page(browser, live_server, org_world["operator"], viewport)
    found = []
    for path in [
        "/admin/accounts/institution/",
        "/admin/accounts/institution/add/",
        f"/admin/accounts/institution/{own.pk}/change/",
        f"/admin/accounts/institution/{own.pk}/administrators/",
    ]:
        found += visit(page, live_server, path, viewport)
    context.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_an_institution_admins_home_and_lists_show_their_institution_only(
    browser, live_server, org_world, viewport
):
    context, page = staff_page(browser, live_server, org_world["admin"], viewport)
    found = []
    for path in [
        "/admin/",
        "/admin/proposals/proposal/",
        "/admin/answers/assignment/",
        f"/admin/proposals/proposal/{org_world['mine'].proposal_id}/change/",
    ]:
        found += visit(page, live_server, path, viewport)
        text = page.inner_text("body")
        assert "교통공사 제안" not in text, path
    page.goto(live_server.url + "/admin/")
    home = page.inner_text("#content")
    assert "우리 기관의 일" in home
    assert "시설공단 제안: 보도블록을 고쳐 주세요" in home
    context.close()
    assert found == [], "\n".join(found)


def test_an_operator_registers_an_institution_in_the_browser(browser, live_server, org_world):
    context, page = staff_page(browser, live_server, org_world["operator"], DESKTOP)
    page.goto(live_server.url + "/admin/accounts/institution/add/")
    page.fill("#id_name", "서울에너지공사")
    page.fill("#id_slug", "energy")
    page.fill("#id_short_name", "에너지공사")
    # A colour white text cannot be read on is refused, in Korean.
    page.eval_on_selector("#id_brand_color", "(el) => { el.value = '#ffff00'; }")
    page.click("input[name=_save]")
    assert "흰 글씨가 잘 읽히지 않아요" in page.inner_text("#content")
    assert not Institution.objects.filter(slug="energy").exists()
    page.eval_on_selector("#id_brand_color", "(el) => { el.value = '#0b4f8a'; }")
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + "/admin/accounts/institution/")
    energy = Institution.objects.get(slug="energy")
    assert (energy.name, energy.brand_color) == ("서울에너지공사", "#0b4f8a")
    context.close()
