"""Deadlines as Seoul's offices count them: working days skip weekends and
Korean public holidays (substitute holidays too), the operators may switch
to calendar days on the settings page, and the deadline's steps (department,
head, operators) come in working days. The D-day cells and the public page
count calendar days to the due date, as a reader does."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.audit import describe
from accounts.models import AuditRecord
from answers import services
from answers.models import Assignment
from notifications.models import Notification
from proposals.models import EventKind, PipelineSettings
from proposals.workdays import DayUnit, add_days, is_holiday, is_working_day
from tests.clock import at
from tests.factories import DepartmentFactory, official, operator
from tests.pages import english, form_fields, logged_in, page_text

from .helpers import assigned, clerk_of

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("admin:proposals_pipelinesettings_change", args=[1])
QUEUE = reverse("admin:answers_assignment_changelist")


def due(assignment) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(assignment.deadline).date()


# --- the calendar ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 1, 1),  # New Year's Day
        dt.date(2026, 9, 24),  # the day before Chuseok
        dt.date(2026, 9, 25),  # Chuseok
        dt.date(2026, 9, 26),  # the day after (a Saturday)
        dt.date(2026, 3, 2),  # substitute for Independence Movement Day (a Sunday)
        dt.date(2026, 10, 5),  # substitute for National Foundation Day (a Saturday)
        dt.date(2025, 3, 3),  # substitute for 1 March 2025 (a Saturday)
    ],
)
def test_public_and_substitute_holidays_are_not_working_days(day):
    assert is_holiday(day)
    assert not is_working_day(day)


def test_weekends_are_skipped():
    friday = dt.date(2026, 11, 13)
    assert add_days(friday, 1) == dt.date(2026, 11, 16)  # Monday
    assert add_days(friday, 5) == dt.date(2026, 11, 20)
    assert add_days(friday, 1, unit=DayUnit.CALENDAR) == dt.date(2026, 11, 14)
    assert add_days(friday, 0) == friday


def test_a_deadline_across_chuseok_and_a_substitute_holiday():
    # Tue 22 Sept 2026; 23rd works, 24–26 Chuseok, 27 Sunday, 28–30 and
    # 2 Oct work, 1 Oct works, 3 Oct Saturday (National Foundation Day),
    # 5 Oct its substitute, 9 Oct Hangul Day.
    start = dt.date(2026, 9, 22)
    assert add_days(start, 1) == dt.date(2026, 9, 23)
    assert add_days(start, 2) == dt.date(2026, 9, 28)
    assert add_days(start, 6) == dt.date(2026, 10, 2)
    assert add_days(start, 7) == dt.date(2026, 10, 6)  # past the weekend and the 5th
    assert add_days(start, 10) == dt.date(2026, 10, 12)  # past Hangul Day


def test_a_deadline_across_new_year():
    assert add_days(dt.date(2025, 12, 30), 2) == dt.date(2026, 1, 2)


# --- assignments ---------------------------------------------------------------------------


def test_a_new_assignment_is_due_in_working_days_by_default():
    assert PipelineSettings.load().answer_days_unit == DayUnit.WORKING
    with at(2026, 9, 22, 10, 0):
        assignment = assigned()
    # 20 working days after Tue 22 Sept 2026: Chuseok (24–26 Sept), the
    # substitute holiday of 5 Oct and Hangul Day (9 Oct) skipped
    assert due(assignment) == dt.date(2026, 10, 26)


def test_the_operator_switches_to_calendar_days_on_the_settings_page():
    PipelineSettings.load()
    client = logged_in(operator(), csrf_checks=True)
    page = client.get(SETTINGS_URL)
    assert "Count the department's days in" in page_text(page)
    form = form_fields(page)
    assert form["answer_days_unit"] == "working"
    form["answer_days_unit"] = "calendar"
    form["escalate_to_head_days"] = "2"
    response = client.post(SETTINGS_URL, form)
    assert response.status_code == 302
    row = PipelineSettings.load()
    assert row.answer_days_unit == "calendar" and row.escalate_to_head_days == 2
    record = AuditRecord.objects.get(action="pipeline.settings_changed")
    assert record.params["changes"]["answer_days_unit"] == ["working", "calendar"]
    assert (
        "count the department's days in: Working days (no weekends or public holidays)"
        " → Calendar days" in describe(record)
    )
    with at(2026, 9, 22, 10, 0):
        assignment = assigned()
    assert due(assignment) == dt.date(2026, 10, 12)  # 20 calendar days
    # and a zero step is refused with a clear message, nothing saved
    form = form_fields(client.get(SETTINGS_URL))
    form["escalate_to_operators_days"] = "0"
    response = client.post(SETTINGS_URL, form)
    assert response.status_code == 200
    assert "Must be at least 1." in page_text(response)
    assert PipelineSettings.load().escalate_to_operators_days == 5


def test_existing_assignments_keep_their_deadline_when_the_unit_changes():
    with at(2026, 9, 22, 10, 0):
        assignment = assigned()
    before = Assignment.objects.get(pk=assignment.pk).deadline
    row = PipelineSettings.load()
    row.answer_days_unit = DayUnit.CALENDAR
    row.save()
    assert Assignment.objects.get(pk=assignment.pk).deadline == before


# --- the D-day ------------------------------------------------------------------------------


def test_the_d_day_counts_calendar_days_to_a_working_day_deadline():
    department = DepartmentFactory(name="도로계획과", name_en="Road Planning Division")
    with at(2026, 9, 22, 10, 0):
        assignment = assigned(department)
    assert due(assignment) == dt.date(2026, 10, 26)
    with at(2026, 10, 16, 10, 0):
        queue = logged_in(official(department)).get(QUEUE)
        public = english(logged_in()).get(assignment.proposal.get_absolute_url())
    assert "D-10" in page_text(queue)
    text = page_text(public)
    assert "Answer due by 2026-10-26 · 10 days left" in text


# --- the steps after the deadline, in working days -------------------------------------------


def test_each_escalation_step_once_in_working_days(django_capture_on_commit_callbacks):
    row = PipelineSettings.load()
    row.answer_deadline_days = 5
    row.answer_reminder_days = 1
    row.escalate_to_head_days = 2
    row.escalate_to_operators_days = 3
    row.save()
    with at(2026, 9, 18, 10, 0):  # Friday
        assignment = assigned()
    # Fri 18 Sept + 5 working days: 21, 22, 23, 28 (Chuseok 24–26), 29
    assert due(assignment) == dt.date(2026, 9, 29)
    clerk = clerk_of(assignment)
    head = official(assignment.department)
    assignment.department.head = head
    assignment.department.save(update_fields=["head"])
    the_operator = operator()

    def sweep(*moment):
        results = []
        for _twice in range(2):
            with at(*moment), django_capture_on_commit_callbacks(execute=True):
                results.append(services.deadlines_sweep())
        assert not any(results[1].values()), "the second sweep did nothing"
        return results[0]

    def told(kind):
        return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))

    assert sweep(2026, 9, 29, 23, 0)["overdue"] == 0
    assert sweep(2026, 9, 30, 0, 5)["overdue"] == 1
    assert told("answer_overdue_department") == {clerk.pk, head.pk}
    # head: 2 working days after Tue 29 Sept = Thu 1 Oct ends
    assert sweep(2026, 10, 1, 23, 0)["to_head"] == 0
    assert sweep(2026, 10, 2, 0, 5)["to_head"] == 1
    assert told("answer_overdue_head") == {head.pk}
    # operators: 3 working days after that: 2, 6 (3 Sat, 4 Sun, 5 substitute), 7
    assert sweep(2026, 10, 7, 23, 0)["escalated"] == 0
    assert sweep(2026, 10, 8, 0, 5)["escalated"] == 1
    assert told("answer_overdue") == {the_operator.pk}
    assert assignment.proposal.events.filter(kind=EventKind.ANSWER_OVERDUE).count() == 1
