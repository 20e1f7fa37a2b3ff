"""Where polls show for staff and on the front page: the staff home's
sections (drafts, closing soon, responses due; the department's responses
due) and the front page's open polls, each at a fixed query cost."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polls.front_page import open_polls_section
from polls.models import PollKind
from polls.services import editing
from tests.factories import DepartmentFactory, official, operator
from tests.pages import logged_in, page_text
from tests.polls.editor_helpers import a_poll, published

pytestmark = pytest.mark.django_db


def test_operators_home_lists_drafts_polls_closing_soon_and_responses_due():
    department = DepartmentFactory()
    a_poll(PollKind.YES_NO, title="초안: 공원 금연 구역 확대", department=department)
    published(PollKind.YES_NO, title="곧 마감: 따릉이 야간 운영", days=3, starts=-1)
    published(PollKind.YES_NO, title="한참 남음: 한강 수영장", days=30)
    closed = published(PollKind.YES_NO, title="마감됨: 제로페이 수수료", department=department)
    editing.poll_close(poll=closed, actor=operator(), reason="사업 종료")

    text = page_text(logged_in(operator()).get("/admin/"))
    assert "City polls waiting to be published" in text and "초안: 공원 금연 구역 확대" in text
    assert "곧 마감: 따릉이 야간 운영" in text and "한참 남음: 한강 수영장" not in text
    assert "마감됨: 제로페이 수수료" in text

    mine = page_text(logged_in(official(department)).get("/admin/"))
    assert "Poll results waiting for the department's response" in mine
    assert "마감됨: 제로페이 수수료" in mine and "초안" not in mine
    other = page_text(logged_in(official(DepartmentFactory())).get("/admin/"))
    assert "마감됨: 제로페이 수수료" not in other


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["operator", "official"])
def test_the_poll_sections_cost_the_same_however_many_polls(who, django_assert_max_num_queries):
    department = DepartmentFactory()
    user = operator() if who == "operator" else official(department)
    client = logged_in(user)

    def more(count):
        for n in range(count):
            a_poll(PollKind.YES_NO, title=f"초안 {n}", department=department)
            published(PollKind.YES_NO, days=2, department=department)
            done = published(PollKind.YES_NO, department=department)
            editing.poll_close(poll=done, actor=operator(), reason="끝")

    more(1)  # a row in every section: its count and its rows
    _home_queries(client)
    before = _home_queries(client)
    more(11)
    with django_assert_max_num_queries(before):
        client.get("/admin/")


def test_the_front_page_shows_at_most_three_open_polls_closing_first(
    django_assert_max_num_queries,
):
    published(PollKind.YES_NO, title="네 번째로 마감", days=20)
    for n, days in enumerate([10, 3, 5]):
        published(PollKind.CHOICE, title=f"열린 투표 {n}", days=days)
    a_poll(PollKind.YES_NO, title="아직 초안")
    published(PollKind.YES_NO, title="아직 시작 전", starts=2)

    with django_assert_max_num_queries(1):
        section = open_polls_section()
    assert [row["title"] for row in section.data["polls"]] == [
        "열린 투표 1",
        "열린 투표 2",
        "열린 투표 0",
    ]
    text = page_text(logged_in().get("/"))
    assert "The city asks you" in text and "열린 투표 1" in text and "D-2" in text
    assert "아직 초안" not in text and "아직 시작 전" not in text


def test_no_open_poll_no_section():
    a_poll(PollKind.YES_NO)
    assert open_polls_section() is None
    later = timezone.now() + dt.timedelta(days=1)
    assert later  # the front page simply has no polls section
    assert "The city asks you" not in page_text(logged_in().get("/"))
