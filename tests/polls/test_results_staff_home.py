"""The staff home's poll-results sections: an official sees their own
department's results waiting for a response (never another's), the
operators every department's; a published response leaves the home; the
home's queries do not grow with the polls. The sections are read as the
home builds them (accounts.staff_home's builders): on main the home page
itself also builds the themes' sections, whose admin is another part's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from polls.models import PollStatus
from polls.results_staff_home import all_responses, department_responses
from polls.services import responses
from tests.factories import DepartmentFactory, official, operator
from tests.pages import logged_in, page_text
from tests.polls.results_world import make_poll

pytestmark = pytest.mark.django_db


def _titles(section) -> list[str]:
    return [row.title for row in section.rows]


def test_each_department_sees_its_own_results_waiting_and_operators_all():
    ours, theirs = DepartmentFactory(name="동물보호과"), DepartmentFactory(name="교통정책과")
    our_poll = make_poll(department=ours, status=PollStatus.CLOSED, title="길고양이 급식소")
    make_poll(department=theirs, title="버스 정류장 의자")  # past its end, beat not yet run
    make_poll(department=ours, open_now=True, title="아직 진행 중인 투표")

    staff = official(department=ours)
    ours_home = _titles(department_responses(staff, timezone.now()))
    operator_home = _titles(all_responses(operator(), timezone.now()))

    assert ours_home == ["길고양이 급식소"]
    assert operator_home == ["길고양이 급식소", "버스 정류장 의자"]
    assert department_responses(operator(), timezone.now()) is None
    assert all_responses(staff, timezone.now()) is None
    # each row opens the response screen, which the official may open
    (row,) = department_responses(staff, timezone.now()).rows
    assert logged_in(staff).get(row.url).status_code == 200

    # a published response leaves the home
    responses.poll_respond(poll=our_poll, actor=staff, response="늘리겠습니다")
    responses.poll_response_publish(poll=our_poll, actor=staff)
    assert _titles(department_responses(staff, timezone.now())) == []


def test_the_waiting_filter_of_the_screen_lists_the_same_polls():
    waiting = make_poll(status=PollStatus.CLOSED, title="응답을 기다리는 투표")
    make_poll(open_now=True, title="진행 중인 투표")
    page = logged_in(operator()).get(
        reverse("admin:polls_pollresponse_changelist") + "?response=waiting"
    )
    assert waiting.title in page_text(page)
    assert "진행 중인 투표" not in page_text(page)


def test_the_section_reads_as_many_queries_for_one_poll_as_for_twenty(
    django_assert_num_queries,
):
    department = DepartmentFactory()
    staff = official(department=department)
    make_poll(department=department, status=PollStatus.CLOSED)
    department_responses(staff, timezone.now())  # the member's roles, read once
    with django_assert_num_queries(2):  # the capped count, the first rows
        department_responses(staff, timezone.now())
    for _ in range(19):
        make_poll(department=department, status=PollStatus.CLOSED)
    with django_assert_num_queries(2):
        section = department_responses(staff, timezone.now())
    assert section.count == 20 and len(section.rows) == 10
