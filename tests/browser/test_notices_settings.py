"""The notice settings page and the unsubscribe page in Chromium, at a
phone's width (390 px) and a desktop's (1280 px): axe-core finds no WCAG 2.1
A/AA violation, the Content Security Policy refuses nothing, nothing scrolls
sideways, and a choice made by clicking is stored."""

import pytest

from notifications.models import NoticeTopic, NotificationPreference
from notifications.unsubscribe import make_token
from tests.browser.test_amendments import DESKTOP, PHONE, _check
from tests.browser.test_amendments import _page as _staff_page
from tests.browser.test_mileage_pages import _page
from tests.factories import UserFactory, official

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_settings_page_is_accessible_and_saves_a_click(browser, live_server, viewport):
    member = UserFactory(nickname="한강산책러")
    context, page = _page(browser, live_server, member, viewport)
    found = _check(page, live_server, "/notifications/settings/")
    # The member stops e-mails of followed proposals and hides debates.
    page.get_by_label("‘팔로우한 제안’ 이메일: 받지 않음").check()
    page.get_by_label("‘내가 참여한 토론’ 사이트에 표시").uncheck()
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    found += _check(page, live_server, "/notifications/settings/")
    # The unsubscribe page a link from an e-mail opens, without a session.
    token = make_token(member, [NoticeTopic.MY_PROPOSALS])
    context.clear_cookies()
    found += _check(page, live_server, f"/notifications/unsubscribe/{token}/")
    context.close()
    assert found == []
    stored = {
        p.topic: (p.in_site, p.email) for p in NotificationPreference.objects.filter(user=member)
    }
    assert stored == {"followed": (True, "off"), "debates": (False, "daily")}


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_staff_row_fits_a_phone(browser, live_server, viewport):
    clerk = official()
    context, page = _staff_page(browser, live_server, clerk, viewport)
    found = _check(page, live_server, "/notifications/settings/")
    assert page.locator("tr[data-topic=work]").count() == 1
    context.close()
    assert found == []
