"""The deadline sweep (Celery beat): a reminder to the department before the
deadline, then the steps after it (the department, its head, the operators),
each exactly once however often the sweep runs. Dates here count calendar
days; working days are in test_workdays.py."""

import pytest
from django.core import mail
from django.utils import translation

from answers import services, tasks
from answers.models import Assignment
from notifications.models import Notification
from proposals.models import EventKind, PipelineSettings
from proposals.services import proposal_withdraw
from tests.clock import at
from tests.factories import DepartmentFactory, official, operator

from .helpers import assigned, clerk_of, drafted, published, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_days")]

NOTHING = {"reminded": 0, "overdue": 0, "to_head": 0, "escalated": 0}


@pytest.fixture
def waiting():
    """An assignment due on 21 March, two officials of its department, an
    official of another department and an operator."""
    with at(2025, 3, 1, 10, 0):
        assignment = assigned()
    clerks = {clerk_of(assignment), official(assignment.department)}
    return {
        "assignment": assignment,
        "clerks": {c.pk for c in clerks},
        "bystander": official(DepartmentFactory()),
        "operator": operator(),
    }


def sweep(moment, django_capture_on_commit_callbacks):
    with at(*moment), django_capture_on_commit_callbacks(execute=True):
        return services.deadlines_sweep()


def told(kind):
    return {n.recipient_id for n in Notification.objects.filter(kind=kind)}


def test_nothing_is_sent_before_the_reminder_window(waiting, django_capture_on_commit_callbacks):
    assert sweep((2025, 3, 17, 23, 59), django_capture_on_commit_callbacks) == NOTHING
    assert not Notification.objects.filter(kind__in=["answer_reminder", "answer_overdue"]).exists()


def test_the_department_is_reminded_three_days_before_once(
    waiting, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    # from the start of 18 March (three days before the 21st) …
    assert sweep((2025, 3, 18, 0, 5), django_capture_on_commit_callbacks)["reminded"] == 1
    assert told("answer_reminder") == waiting["clerks"]
    assert len(mail.outbox) == 2
    notice = Notification.objects.filter(kind="answer_reminder").first()
    assert notice.params["deadline"] == "2025-03-21"  # written in the reader's language
    with translation.override("ko"):
        assert "2025년 3월 21일" in notice.message
    assignment = Assignment.objects.get()
    assert assignment.reminded_at is not None and assignment.escalated_at is None
    # … and never again, however often the sweep runs
    assert sweep((2025, 3, 18, 0, 10), django_capture_on_commit_callbacks)["reminded"] == 0
    assert sweep((2025, 3, 20, 9, 0), django_capture_on_commit_callbacks)["reminded"] == 0
    assert Notification.objects.filter(kind="answer_reminder").count() == 2
    assert len(mail.outbox) == 2


def test_the_steps_go_department_head_operators_each_once(
    waiting, django_capture_on_commit_callbacks
):
    assignment = waiting["assignment"]
    proposal = assignment.proposal
    head = official(assignment.department)
    assignment.department.head = head
    assignment.department.save(update_fields=["head"])
    # the due date itself is still on time
    assert sweep((2025, 3, 21, 23, 59), django_capture_on_commit_callbacks)["overdue"] == 0
    mail.outbox.clear()
    # the next day it is overdue: the department is told, the timeline shows it
    assert sweep((2025, 3, 22, 0, 1), django_capture_on_commit_callbacks) == {
        **NOTHING,
        "overdue": 1,  # reminded already on the 21st's sweep
    }
    assert told("answer_overdue_department") == waiting["clerks"] | {head.pk}
    notice = Notification.objects.filter(kind="answer_overdue_department").first()
    with translation.override("ko"):
        assert notice.title == "답변 기한이 지났습니다"
    event = proposal.events.get(kind=EventKind.ANSWER_OVERDUE)
    assert event.is_public and event.actor_department == assignment.department
    assert not told("answer_overdue_head") and not told("answer_overdue")
    # three days after the deadline (the 24th ends): the head
    assert sweep((2025, 3, 24, 23, 59), django_capture_on_commit_callbacks) == NOTHING
    assert sweep((2025, 3, 25, 0, 1), django_capture_on_commit_callbacks) == {
        **NOTHING,
        "to_head": 1,
    }
    assert told("answer_overdue_head") == {head.pk}
    # five days after that (the 29th ends): the operators
    assert sweep((2025, 3, 29, 23, 59), django_capture_on_commit_callbacks) == NOTHING
    assert sweep((2025, 3, 30, 0, 1), django_capture_on_commit_callbacks) == {
        **NOTHING,
        "escalated": 1,
    }
    assert told("answer_overdue") == {waiting["operator"].pk}
    # running again (or a week later) sends nothing and records nothing more
    sent = len(mail.outbox)
    assert sweep((2025, 3, 30, 0, 2), django_capture_on_commit_callbacks) == NOTHING
    assert sweep((2025, 4, 6, 0, 0), django_capture_on_commit_callbacks) == NOTHING
    assert proposal.events.filter(kind=EventKind.ANSWER_OVERDUE).count() == 1
    for kind in ("answer_overdue_department", "answer_overdue_head", "answer_overdue"):
        assert Notification.objects.filter(kind=kind).count() == len(told(kind))
    assert len(mail.outbox) == sent
    assignment.refresh_from_db()
    assert assignment.overdue_told_at and assignment.head_told_at and assignment.escalated_at


@pytest.mark.parametrize("head", ["none", "inactive", "moved"])
def test_a_department_without_a_usable_head_goes_to_the_operators(
    head, waiting, django_capture_on_commit_callbacks
):
    department = waiting["assignment"].department
    if head != "none":
        member = official(department)
        department.head = member
        department.save(update_fields=["head"])
        if head == "inactive":
            member.is_active = False
            member.save(update_fields=["is_active"])
        else:
            member.department = DepartmentFactory()
            member.save(update_fields=["department"])
    sweep((2025, 3, 22, 0, 1), django_capture_on_commit_callbacks)
    assert sweep((2025, 3, 25, 0, 1), django_capture_on_commit_callbacks) == {
        **NOTHING,
        "escalated": 1,
    }
    assert not told("answer_overdue_head")
    assert told("answer_overdue") == {waiting["operator"].pk}
    assert sweep((2025, 3, 30, 0, 1), django_capture_on_commit_callbacks) == NOTHING


def test_a_sweep_that_was_down_catches_up_in_order(waiting, django_capture_on_commit_callbacks):
    # a worker down for the whole reminder window still takes the steps that
    # are due; the reminder is no longer useful then and is not sent
    assert sweep((2025, 3, 25, 8, 0), django_capture_on_commit_callbacks) == {
        **NOTHING,
        "overdue": 1,
        "escalated": 1,  # no head: straight to the operators
    }
    assert not told("answer_reminder")


def test_a_submitted_answer_needs_no_reminder_and_its_escalation_says_it_waits_for_approval(
    waiting, django_capture_on_commit_callbacks
):
    with at(2025, 3, 2, 9, 0):
        submitted(waiting["assignment"])
    assert sweep((2025, 3, 19, 9, 0), django_capture_on_commit_callbacks)["reminded"] == 0
    # only the operators can move it now: they are told at the deadline
    assert sweep((2025, 3, 23, 9, 0), django_capture_on_commit_callbacks) == {
        **NOTHING,
        "overdue": 1,
        "escalated": 1,
    }
    assert told("answer_overdue_unapproved") == {waiting["operator"].pk}
    assert not told("answer_overdue") and not told("answer_overdue_department")


def test_a_draft_still_gets_the_reminder(waiting, django_capture_on_commit_callbacks):
    with at(2025, 3, 2, 9, 0):
        drafted(waiting["assignment"])
    assert sweep((2025, 3, 19, 9, 0), django_capture_on_commit_callbacks)["reminded"] == 1


@pytest.mark.parametrize("how", ["published", "withdrawn", "reassigned"])
def test_an_assignment_that_no_longer_waits_is_left_alone(
    how, waiting, django_capture_on_commit_callbacks
):
    assignment = waiting["assignment"]
    with at(2025, 3, 5, 9, 0):
        if how == "published":
            published(assignment)
        elif how == "withdrawn":
            proposal_withdraw(proposal=assignment.proposal, user=assignment.proposal.author)
        else:
            services.assignment_reassign(
                assignment=assignment,
                user=waiting["operator"],
                department=DepartmentFactory(),
                reason="소관",
            )
    # the old assignment's dates pass: nothing about it is sent (a new
    # department, due on 25 March, gets its own reminder)
    result = sweep((2025, 3, 22, 9, 0), django_capture_on_commit_callbacks)
    assert result == {**NOTHING, "reminded": 1 if how == "reassigned" else 0}
    assert not told("answer_reminder") & waiting["clerks"]
    assert not Notification.objects.filter(
        kind__in=["answer_overdue", "answer_overdue_unapproved", "answer_overdue_department"]
    ).exists()


def test_reminders_can_be_switched_off(waiting, django_capture_on_commit_callbacks):
    settings_row = PipelineSettings.load()
    settings_row.answer_reminder_days = 0
    settings_row.save()
    assert sweep((2025, 3, 21, 9, 0), django_capture_on_commit_callbacks)["reminded"] == 0


def test_the_beat_task_runs_the_sweep(waiting, django_capture_on_commit_callbacks):
    with at(2025, 3, 22, 9, 0), django_capture_on_commit_callbacks(execute=True):
        result = tasks.sweep_answer_deadlines.delay().get()
    assert result == {**NOTHING, "overdue": 1}
    assert tasks.sweep_answer_deadlines.name == "answers.tasks.sweep_answer_deadlines"


def test_the_notices_read_in_english_for_english_readers(django_capture_on_commit_callbacks):
    with at(2025, 3, 1, 10, 0):
        assignment = assigned()
    reader = official(assignment.department, language="en")
    sweep((2025, 3, 19, 9, 0), django_capture_on_commit_callbacks)
    notice = Notification.objects.get(kind="answer_reminder", recipient=reader)
    with translation.override("en"):
        assert notice.title == "Reminder: an answer is due soon"
        assert notice.message.endswith("is due on March 21, 2025.")
    assert any("March 21, 2025" in m.body for m in mail.outbox if m.to == [reader.email])
