"""Similar proposals while typing (issue 16), in Chromium at a phone's width
(390 px) and a desktop's (1280 px): the member types a title written
differently from an existing proposal, the list appears in the form's
aria-live region with a link to that proposal; the Content Security Policy
refuses nothing, axe-core finds no WCAG 2.1 A/AA violation, nothing scrolls
sideways. The proposal's page shows its similar box under the same checks,
and so do the operators' list and change page with the 유사제안 column."""

import pytest

from proposals.similarity import terms_of
from tests.browser.test_amendments import DESKTOP, PHONE, _check
from tests.browser.test_amendments import _page as _staff_page
from tests.browser.test_mileage_pages import _page
from tests.factories import ProposalFactory, UserFactory, operator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _make(title, body=""):
    return ProposalFactory(title=title, body=body, similarity_terms=terms_of(title, body))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_typing_shows_similar_proposals(browser, live_server, viewport):
    bridge = _make(
        "걷고 싶은 한강다리를 만들어 주세요",
        "한강을 걸어서 건너고 싶은 다리로 만들어 주세요. 보행로를 넓히고 전망 쉼터를 두면 좋겠습니다.",
    )
    twin = _make("한강 다리 위 보행로를 넓혀 주세요", "다리를 걸어서 건너기가 무섭습니다.")
    for title in (
        "보라매공원에 반려견 놀이터를 만들어 주세요",
        "작은도서관을 주말에도 열어 주세요",
    ):
        _make(title, "주민들이 바랍니다.")
    context, page = _page(browser, live_server, UserFactory(), viewport)
    found = _check(page, live_server, "/proposals/new/")
    region = page.locator("#similar-proposals")
    assert region.get_attribute("aria-live") == "polite"
    assert region.inner_text().strip() == ""

    page.fill("#id_title", "한강 다리에서 걷고 싶어요")
    link = region.locator(f'a[href="/proposals/{bridge.pk}/"]')
    link.wait_for(timeout=10_000)
    assert "비슷한 제안이 있어요" in region.inner_text()
    assert region.locator(f'a[href="/proposals/{bridge.pk}/#endorse"]').count() == 1
    assert "반려견" not in region.inner_text()
    found += [f"typed: CSP {v}" for v in page.evaluate("window.__cspViolations")]
    from tests.browser.axe import axe_violations

    found += [f"typed: {line}" for line in axe_violations(page)]
    if not page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    ):
        found.append("typed: scrolls sideways")

    # Going to the proposal, to endorse it there; its page shows its twin.
    link.click()
    page.wait_for_url(f"**/proposals/{bridge.pk}/")
    found += _check(page, live_server, f"/proposals/{bridge.pk}/")
    box = page.locator(".similar-box")
    assert box.locator(f'a[href="/proposals/{twin.pk}/"]').count() == 1
    context.close()
    assert found == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_admin_similar_column_and_list(browser, live_server, role_groups, viewport):
    dust = _make(
        "지하철역에 미세먼지 농도 전광판을 설치해 주세요", "대합실에 미세먼지 농도를 보여 주세요."
    )
    twin = _make(
        "미세먼지 농도를 지하철역에서 보여 주세요",
        "역 대합실에 초미세먼지 수치를 띄우면 좋겠습니다.",
    )
    context, page = _staff_page(browser, live_server, operator(), viewport)
    found = _check(page, live_server, "/admin/proposals/proposal/")
    assert page.locator(f'a[href="/admin/proposals/proposal/{dust.pk}/change/"]').count() >= 1
    found += _check(page, live_server, f"/admin/proposals/proposal/{twin.pk}/change/")
    assert (
        page.locator(
            f'.similar-admin-list a[href="/admin/proposals/proposal/{dust.pk}/change/"]'
        ).count()
        == 1
    )
    context.close()
    assert found == []
