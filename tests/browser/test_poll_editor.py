"""The poll editor in Chromium, at 1280 px and on a 390 px phone: axe finds
no WCAG 2.1 A/AA violation on the list, the editor (a draft, and a poll
with votes whose questions are fixed), the preview of the public page, the
publish and close screens, the staff home with the poll sections, and the
front page with its open polls."""

import pytest
from django.conf import settings
from django.test import Client

from polls.models import PollKind
from tests.browser.axe import axe_violations
from tests.factories import DepartmentFactory, official, operator
from tests.pages import log_in_with_second_factor
from tests.polls.editor_helpers import a_poll, published, vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _page(browser, live_server, viewport, user=None):
    context = browser.new_context(locale="ko-KR", viewport=viewport)
    if user is not None:
        client = Client()
        log_in_with_second_factor(client, user)
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
def test_axe_finds_nothing_on_the_poll_editor(browser, live_server, role_groups, viewport):
    department = DepartmentFactory(name="공원조성과")
    boss = operator()
    draft = a_poll(PollKind.SURVEY, title="한강공원 이용 실태 설문", department=department)
    running = published(PollKind.YES_NO, title="경의선숲길 야간 조명", department=department)
    vote(running)
    visits = [
        (None, ["/"]),
        (
            boss,
            [
                "/admin/",
                "/admin/polls/poll/",
                "/admin/polls/poll/add/",
                f"/admin/polls/poll/{draft.pk}/change/",
                f"/admin/polls/poll/{draft.pk}/preview/",
                f"/admin/polls/poll/{draft.pk}/publish/",
                f"/admin/polls/poll/{running.pk}/change/",
                f"/admin/polls/poll/{running.pk}/close/",
            ],
        ),
        (official(department), ["/admin/", f"/admin/polls/poll/{running.pk}/change/"]),
    ]
    found = []
    for user, paths in visits:
        context, page = _page(browser, live_server, viewport, user)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{path}: {response.status}"
            found += [f"{path}: {line}" for line in axe_violations(page)]
        context.close()
    assert found == [], "\n".join(found)
