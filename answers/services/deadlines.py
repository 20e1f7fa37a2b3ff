"""Answer deadlines: the beat's reminders before and escalations after."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from proposals.models import EventKind, PipelineSettings
from proposals.timeline import event_record

from .. import notices
from .. import rules as answer_rules
from ..models import (
    Answer,
    AnswerStatus,
    Assignment,
)
from .shared import locked_assignment

# --- deadlines ---------------------------------------------------------------------


def _start_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def deadlines_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Remind departments before their deadline and escalate to the operators
    after it. Idempotent: `reminded_at` and `escalated_at` mark what was done
    (each set under the row lock), and the notices carry once-per-event keys,
    so running it twice, or concurrently, sends nothing twice. Run by beat.

    Requires: nothing. Only assignments still waiting for their answer on a
    visible proposal count.
    Writes/triggers: see `assignment_remind` and `assignment_escalate`.
    Returns how many were reminded and escalated now."""
    now = now or timezone.now()
    settings_row = PipelineSettings.load()
    waiting = Assignment.objects.awaiting_answer().filter(proposal__is_hidden=False)
    reminded = 0
    if settings_row.answer_reminder_days:
        # Due within N days (Seoul dates): deadlines are at the end of a day,
        # so "3 days before" means from the start of the day 3 days before.
        today = timezone.localtime(now).date()
        window_end = _start_of_day(today + timedelta(days=settings_row.answer_reminder_days + 1))
        due_soon = (
            waiting.filter(reminded_at__isnull=True, deadline__gte=now, deadline__lt=window_end)
            # An answer already with the operators needs no reminder.
            .exclude(answer__status__in=[AnswerStatus.SUBMITTED, AnswerStatus.PUBLISHED])
        )
        for pk in due_soon.values_list("pk", flat=True):
            reminded += assignment_remind(assignment_id=pk, now=now)
    escalated = 0
    overdue = waiting.filter(escalated_at__isnull=True, deadline__lt=now)
    for pk in overdue.values_list("pk", flat=True):
        escalated += assignment_escalate(assignment_id=pk, now=now)
    return {"reminded": reminded, "escalated": escalated}


def assignment_remind(*, assignment_id: int, now: datetime | None = None) -> bool:
    """Remind the department that its answer is due soon, once.

    Requires: the assignment still waiting and not yet reminded.
    Writes: `reminded_at`. Triggers: `answer_reminder` to the department's
    officials (key `answer_reminder:<assignment>`). Returns whether it reminded."""
    now = now or timezone.now()
    with transaction.atomic():
        assignment = locked_assignment(assignment_id)
        if assignment.reminded_at is not None or answer_rules.assignment_open_refusal(assignment):
            return False
        assignment.reminded_at = now
        assignment.save(update_fields=["reminded_at"])
        notices.tell_answer_reminder(assignment=assignment, days_left=assignment.days_left(now))
    return True


def assignment_escalate(*, assignment_id: int, now: datetime | None = None) -> bool:
    """Tell the operators that a department missed its deadline, once.

    Requires: the assignment still waiting, past its deadline, not yet escalated.
    Writes: `escalated_at`; an ANSWER_OVERDUE row on the public timeline.
    Triggers: `answer_overdue` to the operators, or
    `answer_overdue_unapproved` when the answer only waits for their approval
    (key `answer_overdue:<assignment>`). Returns whether it escalated."""
    now = now or timezone.now()
    with transaction.atomic():
        assignment = locked_assignment(assignment_id)
        if (
            assignment.escalated_at is not None
            or assignment.deadline >= now
            or answer_rules.assignment_open_refusal(assignment)
        ):
            return False
        assignment.escalated_at = now
        assignment.save(update_fields=["escalated_at"])
        event_record(
            proposal=assignment.proposal,
            kind=EventKind.ANSWER_OVERDUE,
            actor=None,
            department=assignment.department,
        )
        answer = Answer.objects.filter(assignment=assignment).only("status").first()
        waits_for_approval = answer is not None and answer.status == AnswerStatus.SUBMITTED
        notices.tell_answer_overdue(assignment=assignment, waits_for_approval=waits_for_approval)
    return True
