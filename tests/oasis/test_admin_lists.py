"""What every admin list with a deadline or a default filter shows: the D-day
cell (oasis.admin_utils.dday_cell) in Korean and English, overdue said in
words as well as colour, and a list that opens on the waiting work, says so
and links to everything. Checked on the lists staff use, as they load them,
with two departments: an official's list holds their own department's only."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from answers.models import Assignment
from oasis.admin_utils import days_until, dday_cell
from tests.answers.helpers import assigned, clerk_of, published, submitted
from tests.clock import at, seoul
from tests.debates.helpers import open_debate
from tests.factories import DepartmentFactory
from tests.meetings.helpers import meeting
from tests.pages import english, logged_in, page_text
from tests.tracking.helpers import adopted_card, at_stage
from tests.tracking.helpers import clerk_of as card_clerk
from tracking.models import CardStage

pytestmark = pytest.mark.django_db

QUEUE = "/admin/answers/assignment/"
CARDS = "/admin/tracking/managementcard/"
MEETINGS = "/admin/meetings/realizationmeeting/"
DEBATES = "/admin/debates/debate/"
REPORTS = "/admin/tracking/progressreport/"
ITEMS = "/admin/meetings/agendaitem/"


# --- the D-day cell --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "english_text", "korean_text", "overdue"),
    [
        (dt.date(2026, 3, 13), "D-3", "D-3", False),
        (dt.date(2026, 3, 10), "D-day", "D-day", False),
        (dt.date(2026, 3, 7), "Overdue 3 days late", "기한 지남 3일 지남", True),
        (seoul(2026, 3, 10, 23, 59), "D-day", "D-day", False),
        (seoul(2026, 3, 10, 8, 0), "Overdue today", "기한 지남 오늘", True),
        (seoul(2026, 3, 9, 23, 59), "Overdue 1 day late", "기한 지남 1일 지남", True),
    ],
)
def test_the_dday_cell_counts_seoul_days_and_says_overdue_in_words(
    deadline, english_text, korean_text, overdue
):
    now = seoul(2026, 3, 10, 9, 0)
    for language, expected in (("en", english_text), ("ko", korean_text)):
        with translation.override(language):
            cell = dday_cell(deadline, now=now)
        assert page_text(str(cell)).strip() == expected
        assert ('class="dday overdue"' in cell) is overdue
        if overdue:
            assert 'class="overdue-label"' in cell
    assert days_until(deadline, now=now)[1] is overdue


def test_the_dday_cell_of_finished_work_and_of_no_deadline():
    assert page_text(str(dday_cell(dt.date(2020, 1, 1), finished="Answered"))).strip() == "Answered"
    assert "overdue" not in dday_cell(dt.date(2020, 1, 1), finished="Answered")
    assert page_text(str(dday_cell(None))).strip() == "—"


def test_a_day_three_days_away_is_marked_soon_and_four_days_is_not():
    now = seoul(2026, 3, 10, 9, 0)
    assert "dday-soon" in dday_cell(dt.date(2026, 3, 13), now=now)
    assert "dday-soon" not in dday_cell(dt.date(2026, 3, 14), now=now)


# --- the lists --------------------------------------------------------------------------


def _rows(response):
    return list(response.context["cl"].result_list)


def test_the_queue_shows_the_dday_and_flags_an_overdue_row_of_my_department_only():
    roads, parks = DepartmentFactory(name="도로계획과"), DepartmentFactory(name="공원조성과")
    with at(2026, 3, 1, 9):
        late = assigned(roads, title="늦은 제안")
        soon = assigned(roads, title="곧 마감 제안")
        theirs = assigned(parks, title="공원과 제안")
    Assignment.objects.filter(pk=late.pk).update(deadline=seoul(2026, 3, 7, 18))
    Assignment.objects.filter(pk=soon.pk).update(deadline=seoul(2026, 3, 12, 18))
    browser = logged_in(clerk_of(late))
    with at(2026, 3, 10, 9):
        response = browser.get(QUEUE)
    assert _rows(response) == [late, soon]  # the closest deadline first
    text = page_text(response)
    assert "늦은 제안 Overdue 3 days late" in text
    assert "곧 마감 제안 D-2" in text
    assert "공원과 제안" not in text
    assert browser.get(QUEUE).context["cl"].result_list.filter(pk=theirs.pk).exists() is False


def test_an_answer_waiting_for_approval_shows_its_assignments_dday(operator_user):
    with at(2026, 3, 1, 9):
        assignment = assigned(title="승인 기다리는 답변")
        submitted(assignment)
    Assignment.objects.filter(pk=assignment.pk).update(deadline=seoul(2026, 3, 5, 18))
    with at(2026, 3, 10, 9):
        text = page_text(logged_in(operator_user).get("/admin/answers/answer/"))
    assert "승인 기다리는 답변 Overdue 5 days late" in text


def test_the_queue_opens_on_waiting_work_says_so_and_shows_all_in_one_click():
    waiting = assigned(title="기다리는 제안")
    answered = assigned(waiting.department, title="답변한 제안")
    published(answered)
    browser = logged_in(clerk_of(waiting))
    response = browser.get(QUEUE)
    assert _rows(response) == [waiting]
    text = page_text(response)
    assert (
        "This list shows the assignments still waiting for an answer, "
        "the closest deadline first. Show all"
    ) in text
    show_all = response.context["cl"].filter_specs[0].show_all_url
    everything = browser.get(QUEUE + show_all)
    assert set(_rows(everything)) == {waiting, answered}
    assert "This list shows" not in page_text(everything)


def test_the_note_is_korean_for_korean_readers():
    assignment = assigned()
    browser = logged_in(clerk_of(assignment))
    browser.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    response = browser.get(QUEUE, headers={"accept-language": "ko"})
    assert "아직 답변을 기다리는 배정만 보여 줍니다." in page_text(response)
    assert "모두 보기" in page_text(response)


def test_the_show_all_link_keeps_the_search_and_drops_the_page():
    assignment = assigned(title="한강 다리")
    response = logged_in(clerk_of(assignment)).get(QUEUE + "?q=한강&p=2&o=3")
    show_all = response.context["cl"].filter_specs[0].show_all_url
    assert "q=%ED%95%9C%EA%B0%95" in show_all and "o=3" in show_all
    assert "p=" not in show_all and "queue=all" in show_all


def test_cards_open_on_work_not_completed_with_their_target_dday():
    roads = DepartmentFactory()
    open_card = adopted_card(roads, title="진행 중 과제")
    done = at_stage(CardStage.COMPLETED, roads, title="끝난 과제")
    other = adopted_card(title="다른 부서 과제")
    browser = logged_in(card_clerk(open_card))
    response = browser.get(CARDS)
    assert _rows(response) == [open_card]
    assert "This list shows the items not completed yet." in page_text(response)
    everything = browser.get(CARDS + "?stage=all")
    assert set(_rows(everything)) == {open_card, done}
    assert other not in _rows(everything)
    assert "끝난 과제 Completed" in page_text(everything)


def test_an_unknown_filter_value_lists_everything_rather_than_failing(operator_client):
    card = adopted_card()
    response = operator_client.get(CARDS + "?stage=nonsense")
    assert response.status_code == 200
    assert _rows(response) == [card]


def test_a_korean_operator_reads_the_debate_state_filter_and_note(operator_user):
    open_debate(title="토론 주제")
    browser = logged_in(operator_user)
    browser.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    text = page_text(browser.get(DEBATES, headers={"accept-language": "ko"}))
    assert "진행 중이거나 결과 공개 대기" in text
    assert "D-" in text


WAITING_FIRST = [
    QUEUE,
    "/admin/answers/answer/",
    "/admin/answers/reassignmentrequest/",
    "/admin/proposals/report/",
    CARDS,
    REPORTS,
    MEETINGS,
    ITEMS,
    DEBATES,
]


@pytest.mark.parametrize("path", WAITING_FIRST)
def test_each_waiting_first_list_loads_for_an_operator_with_its_note(operator_client, path):
    response = english(operator_client).get(path)
    assert response.status_code == 200
    assert "This list shows" in page_text(response)
    assert "Show all" in page_text(response)


# --- queries do not grow with the rows ---------------------------------------------------


def _queries(browser, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(path).status_code == 200
    return len(captured)


MAKERS = {
    QUEUE: lambda: assigned(),
    CARDS: lambda: adopted_card(),
    DEBATES: lambda: open_debate(),
    MEETINGS: lambda: meeting(days=5),
}


@pytest.mark.parametrize("path", list(MAKERS))
def test_the_lists_with_a_dday_cost_the_same_queries_for_two_rows_or_six(
    operator_user, path, django_assert_max_num_queries
):
    browser = logged_in(operator_user)
    for _ in range(2):
        MAKERS[path]()
    few = _queries(browser, path)
    for _ in range(4):
        MAKERS[path]()
    with django_assert_max_num_queries(few):
        assert len(_rows(browser.get(path))) == 6


def test_the_export_button_of_a_list_opened_on_waiting_work_exports_every_row(operator_user):
    # The list opens on the cards not completed, but its "Export" button (no
    # filter chosen) writes the whole scope, as it did before; a filter the
    # operator picks still narrows the file.
    from tests.tracking.test_import_export import CARD_FIELDS, csv_rows, export

    open_card = adopted_card(title="진행 중 과제")
    done = at_stage(CardStage.COMPLETED, title="끝난 과제")
    browser = logged_in(operator_user)
    assert _rows(browser.get(CARDS)) == [open_card]
    rows = csv_rows(export(browser, "managementcard", "0", CARD_FIELDS, "cardresource"))
    assert {"진행 중 과제", "끝난 과제"} <= {cell for row in rows for cell in row}
    assert done.proposal.title == "끝난 과제"


def test_a_single_waiting_value_is_offered_once_in_the_filter(operator_client):
    response = operator_client.get(REPORTS)
    sidebar = response.content.decode().split('id="changelist-filter"', 1)[1]
    assert sidebar.count(">Requested</a>") == 1
    assert ">Submitted</a>" in sidebar and ">All</a>" in sidebar
