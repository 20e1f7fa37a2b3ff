"""Bimonthly progress reports (2개월 점검): the schedule requests one every
two months per open card, reminds the official before the due date and
escalates to the operators after it, each exactly once however often it
runs; report_submit refuses what it must and writes nothing then; and one
card kept up to date for a year of simulated time ends completed."""

import datetime as dt
from contextlib import contextmanager

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.selectors import operators
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from proposals.models import Follow
from tests.clock import SEOUL, at
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tracking import services, tasks
from tracking.models import CardEvent, CardStage, ManagementCard, ReportStatus

from .helpers import adopted_card, at_stage, clerk_of, requested_report

pytestmark = pytest.mark.django_db


def told(kind) -> list[int]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


@pytest.fixture
def opened():
    """A card opened on 10 January 2025 with a responsible official, and an operator."""
    with at(2025, 1, 10, 10, 0):
        card = adopted_card()
        clerk = clerk_of(card)
        boss = operator()
        services.card_handoff(card=card, user=boss, to_official=clerk, note="담당 지정")
    card.refresh_from_db()
    return {"card": card, "clerk": clerk, "operator": boss}


def test_a_report_is_requested_two_months_after_opening_then_every_two_months(
    opened, django_capture_on_commit_callbacks
):
    card, clerk = opened["card"], opened["clerk"]
    with at(2025, 3, 10, 9, 59), django_capture_on_commit_callbacks(execute=True):
        assert tasks.request_progress_reports() == 0
    with at(2025, 3, 10, 10, 0), django_capture_on_commit_callbacks(execute=True):
        assert tasks.request_progress_reports() == 1
        assert tasks.request_progress_reports() == 0  # idempotent
    with at(2025, 4, 30, 12, 0):
        assert services.report_request_due() == 0
    (first,) = card.progress_reports.all()
    assert first.period == 1
    assert first.status == ReportStatus.REQUESTED
    assert first.due_date == dt.date(2025, 3, 24)
    assert told("report_requested") == [clerk.pk]

    with at(2025, 5, 10, 10, 0):
        assert services.report_request_due() == 1
        assert services.report_request_due() == 0
    assert list(card.progress_reports.values_list("period", flat=True)) == [1, 2]
    assert len(told("report_requested")) == 2


def test_a_card_opened_on_the_31st_is_asked_on_the_last_day_two_months_on():
    with at(2024, 12, 31, 10, 0):
        card = adopted_card()
    with at(2025, 2, 28, 9, 59):
        assert services.report_request_due() == 0
    with at(2025, 2, 28, 10, 0):
        assert services.report_request_due() == 1
    assert card.progress_reports.get().due_date == dt.date(2025, 3, 14)


def test_a_report_that_changes_no_number_still_marks_the_card_updated(opened):
    card, clerk = opened["card"], opened["clerk"]
    with at(2025, 3, 10, 10, 0):
        services.report_request_due()
    # As it stood before: no percent or budget the report would change.
    ManagementCard.objects.filter(pk=card.pk).update(percent_complete=0)
    with at(2025, 3, 12, 15, 0):
        report = card.progress_reports.get()
        services.report_submit(report=report, user=clerk, done="현장 확인", percent=0)
    card.refresh_from_db()
    assert card.updated_at == dt.datetime(2025, 3, 12, 15, 0, tzinfo=SEOUL)


def _asked(card) -> set[int]:
    return set(
        Notification.objects.filter(
            kind="report_requested", key__endswith=str(card.progress_reports.get().pk)
        ).values_list("recipient_id", flat=True)
    )


def test_without_a_responsible_official_the_operators_are_asked_when_there_is_no_head(opened):
    # Issue 12: the work falls to the head, else the operators (issue 11
    # asked every official of the department, so nobody in particular).
    with at(2025, 1, 10, 10, 0):
        card = adopted_card()
    clerk_of(card), official(card.department)
    with at(2025, 3, 11, 10, 0):
        services.report_request_due()
    assert _asked(card) == set(operators().values_list("pk", flat=True))
    assert opened["operator"].pk in _asked(card)


def test_without_a_responsible_official_the_head_is_asked(opened):
    with at(2025, 1, 10, 10, 0):
        card = adopted_card()
    head = official(card.department)
    official(card.department)
    card.department.head = head
    card.department.save(update_fields=["head"])
    with at(2025, 3, 11, 10, 0):
        services.report_request_due()
    assert _asked(card) == {head.pk}


def test_a_completed_card_is_never_asked_for_a_report():
    with at(2025, 1, 10, 10, 0):
        card = at_stage(CardStage.COMPLETED)
    with at(2025, 6, 1, 10, 0):
        assert services.report_request_due() == 0
    assert not card.progress_reports.exists()


def test_the_reminder_comes_three_days_before_and_the_escalation_after_the_due_date_each_once(
    opened, django_capture_on_commit_callbacks
):
    clerk, boss = opened["clerk"], opened["operator"]
    with at(2025, 3, 10, 10, 0):
        services.report_request_due()  # due on 24 March
    none = {"reminded": 0, "escalated": 0}
    with at(2025, 3, 20, 23, 59):
        assert services.reports_remind_and_escalate() == none
    with at(2025, 3, 21, 0, 1), django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_progress_reports() == {"reminded": 1, "escalated": 0}
        assert tasks.remind_progress_reports() == none
    with at(2025, 3, 24, 23, 59):
        assert services.reports_remind_and_escalate() == none
    with at(2025, 3, 25, 0, 1):
        assert services.reports_remind_and_escalate() == {"reminded": 0, "escalated": 1}
        assert services.reports_remind_and_escalate() == none
    with at(2025, 4, 2, 9, 0):
        assert services.reports_remind_and_escalate() == none

    report = opened["card"].progress_reports.get()
    assert report.reminded_at is not None and report.escalated_at is not None
    assert told("report_reminder") == [clerk.pk]
    assert boss.pk in told("report_overdue")
    assert set(told("report_overdue")) == set(operators().values_list("pk", flat=True))


def test_a_report_submitted_in_time_is_neither_reminded_nor_escalated(opened):
    with at(2025, 3, 10, 10, 0):
        report = requested_report(opened["card"])
    with at(2025, 3, 12, 10, 0):
        services.report_submit(
            report=report, user=opened["clerk"], done="현장 조사", percent=5, next_steps="설계"
        )
    with at(2025, 3, 30, 10, 0):
        assert services.reports_remind_and_escalate() == {"reminded": 0, "escalated": 0}


# --- submission -----------------------------------------------------------------


def test_an_official_submits_a_report_that_moves_the_card_and_tells_the_audience(
    django_capture_on_commit_callbacks,
):
    card = at_stage(CardStage.PLANNING)
    follower = UserFactory()
    Follow.objects.create(proposal=card.proposal, user=follower)
    report = requested_report(card)
    clerk = clerk_of(card)

    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(
            report=report,
            user=clerk,
            done="설계 완료, 공사 착수",
            stage=CardStage.IN_PROGRESS,
            percent="40",
            spent_budget="1,200,000",
            next_steps="포장 공사",
        )

    report.refresh_from_db()
    card.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert (report.author, report.stage, report.percent_complete, report.spent_budget) == (
        clerk,
        CardStage.IN_PROGRESS,
        40,
        1_200_000,
    )
    assert (card.stage, card.percent_complete, card.spent_budget) == (
        CardStage.IN_PROGRESS,
        40,
        1_200_000,
    )
    event = card.events.get(kind="report")
    assert event.is_public and event.actor == clerk
    assert card.events.filter(kind="stage_changed", to_stage=CardStage.IN_PROGRESS).exists()
    audience = {card.proposal.author_id, follower.pk} - {None}
    assert set(told("card_report")) == audience


def test_an_operator_may_submit_any_departments_report():
    report = requested_report(adopted_card())
    services.report_submit(report=report, user=operator(), done="검토 중", percent=0)
    report.refresh_from_db()
    assert report.is_submitted
    assert report.card.stage == CardStage.REVIEW


@contextmanager
def nothing_written(report, card):
    """The block (a refused submission) leaves the report, the card, its
    history and the notices exactly as they were before it."""

    def state():
        fresh = type(card).objects.get(pk=card.pk)
        return (
            type(report)
            .objects.filter(pk=report.pk)
            .values_list("status", "submitted_at", "percent_complete")[0],
            (fresh.stage, fresh.percent_complete, fresh.spent_budget),
            fresh.events.count(),
            Notification.objects.filter(kind="card_report").count(),
        )

    before = state()
    assert before[0] == (ReportStatus.REQUESTED, None, None)
    yield
    assert state() == before


@pytest.mark.parametrize("who", ["other_department", "citizen"])
def test_a_report_on_another_departments_card_is_refused(who):
    card = adopted_card()
    report = requested_report(card)
    user = official(DepartmentFactory()) if who == "other_department" else UserFactory()
    with nothing_written(report, card), pytest.raises(PermissionDenied):
        services.report_submit(report=report, user=user, done="x", percent=10)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"percent": 10, "spent_budget": -1}, "spent_budget"),
        ({"percent": 10, "spent_budget": "많이"}, "spent_budget"),
        ({"percent": 101}, "percent"),
        ({"percent": "반"}, "percent"),
        ({"percent": None}, "percent"),
    ],
)
def test_bad_numbers_are_refused_and_nothing_is_written(values, field):
    card = at_stage(CardStage.PLANNING)
    report = requested_report(card)
    with nothing_written(report, card), pytest.raises(ValidationError) as caught:
        services.report_submit(
            report=report, user=clerk_of(card), done="진행", stage=CardStage.IN_PROGRESS, **values
        )
    assert field in caught.value.message_dict


def test_a_stage_jump_is_refused_and_nothing_is_written():
    card = adopted_card()
    report = requested_report(card)
    with nothing_written(report, card), pytest.raises(TransitionNotAllowed):
        services.report_submit(
            report=report, user=clerk_of(card), done="끝", stage=CardStage.COMPLETED, percent=100
        )


def test_a_report_for_a_completed_card_is_refused():
    card = at_stage(CardStage.IN_PROGRESS)
    report = requested_report(card)
    services.card_change_stage(card=card, user=operator(), to_stage="completed", note="준공")
    card.refresh_from_db()
    with nothing_written(report, card), pytest.raises(ServiceError):
        services.report_submit(report=report, user=clerk_of(card), done="x", percent=100)


def test_a_report_is_submitted_only_once():
    card = adopted_card()
    report = requested_report(card)
    services.report_submit(report=report, user=clerk_of(card), done="검토", percent=5)
    with pytest.raises(ServiceError):
        services.report_submit(report=report, user=clerk_of(card), done="다시", percent=6)
    report.refresh_from_db()
    assert report.done == "검토"


# --- a year ---------------------------------------------------------------------

PLAN = {
    1: (CardStage.PLANNING, 10),
    2: (CardStage.IN_PROGRESS, 30),
    3: (CardStage.IN_PROGRESS, 50),
    4: (CardStage.IN_PROGRESS, 70),
    5: (CardStage.IN_PROGRESS, 90),
    6: (CardStage.COMPLETED, 100),
}


def test_a_year_of_simulated_time_six_reports_ending_completed(opened, client):
    card, clerk = opened["card"], opened["clerk"]
    day = dt.datetime(2025, 1, 10, 12, 0, tzinfo=SEOUL)
    while day < dt.datetime(2026, 3, 31, tzinfo=SEOUL):
        day += dt.timedelta(days=1)
        with time_machine.travel(day, tick=False):
            tasks.request_progress_reports()
            tasks.remind_progress_reports()
            for report in card.progress_reports.filter(status=ReportStatus.REQUESTED):
                # Report 3 is late (reminded and escalated); the others are in time.
                late = report.period == 3
                if (timezone_date(day) - report.requested_at.date()).days >= (16 if late else 2):
                    stage, percent = PLAN[report.period]
                    services.report_submit(
                        report=report,
                        user=clerk,
                        done=f"{report.period}차 점검 내용",
                        stage=stage,
                        percent=percent,
                        spent_budget=report.period * 1_000_000,
                        next_steps=f"{report.period + 1}차 계획",
                    )

    card.refresh_from_db()
    reports = list(card.progress_reports.order_by("period"))
    assert [r.period for r in reports] == [1, 2, 3, 4, 5, 6]
    assert all(r.is_submitted for r in reports)
    assert [timezone_date(r.requested_at) for r in reports] == [
        dt.date(2025, 3, 10),
        dt.date(2025, 5, 10),
        dt.date(2025, 7, 10),
        dt.date(2025, 9, 10),
        dt.date(2025, 11, 10),
        dt.date(2026, 1, 10),
    ]
    assert (card.stage, card.percent_complete, card.spent_budget) == (
        CardStage.COMPLETED,
        100,
        6_000_000,
    )
    assert [r.reminded_at is not None for r in reports] == [False, False, True, False, False, False]
    assert [r.escalated_at is not None for r in reports] == [
        False,
        False,
        True,
        False,
        False,
        False,
    ]
    overdue = Notification.objects.filter(kind="report_overdue")
    assert set(overdue.values_list("key", flat=True)) == {f"report_overdue:{reports[2].pk}"}
    assert CardEvent.objects.filter(card=card, kind="report").count() == 6

    page = client.get(f"/adopted/{card.pk}/")
    assert [r.period for r in page.context["reports"]] == [1, 2, 3, 4, 5, 6]


def timezone_date(moment):
    return moment.astimezone(SEOUL).date()
