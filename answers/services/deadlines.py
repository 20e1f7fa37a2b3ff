"""Answer deadlines: the beat's reminder before and the escalation steps
after, and the department's requests for more time.

The steps of one deadline, each taken once (its mark on the Assignment is
set under the row lock and its notice carries a once-key):
1. before it, a reminder to the department's officials (`reminded_at`);
2. when it passes, the officials again (`overdue_told_at`), and the public
   timeline's ANSWER_OVERDUE row;
3. `escalate_to_head_days` later, the department head (`head_told_at`):
   the head stands for the department's director; a department without a
   usable head (an active official of the department) goes to step 4 now;
4. `escalate_to_operators_days` after that, the operators (`escalated_at`).
Days are counted in the settings' unit (working days by default). An answer
already waiting for the operators' approval skips to them at the deadline:
only they can move it. A granted extension moves the deadline and clears
the marks, so the new deadline has its own steps."""

from datetime import datetime, timedelta

import rules
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.selectors import usable_head
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind, PipelineSettings
from proposals.timeline import event_record
from proposals.workdays import end_of_day

from .. import audit_words, notices
from .. import rules as answer_rules
from ..models import (
    EXTENSION_MAX_DAYS,
    Answer,
    AnswerStatus,
    Assignment,
    DeadlineExtension,
    ExtensionStatus,
)
from ..timeline_texts import DEADLINE_EXTENDED
from .shared import locked_assignment, require_reason, require_runs

# --- the sweep ------------------------------------------------------------------------


def _start_of_day(day) -> datetime:
    return end_of_day(day - timedelta(days=1)) + timedelta(microseconds=1)


def deadlines_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Take every deadline step that is due (module docstring), oldest step
    first, so a sweep that did not run for a while catches up in order.
    Idempotent: the marks and the notices' once-keys mean running it twice,
    or concurrently, sends nothing twice. Run by beat.

    Requires: nothing. Only assignments still waiting for their answer on a
    visible proposal count.
    Writes/triggers: see `assignment_remind`, `assignment_tell_overdue`,
    `assignment_escalate_to_head` and `assignment_escalate`.
    Returns how many were reminded, told overdue, escalated to the head and
    to the operators now."""
    now = now or timezone.now()
    settings_row = PipelineSettings.load()
    waiting = Assignment.objects.awaiting_answer().filter(proposal__is_hidden=False)
    done = {"reminded": 0, "overdue": 0, "to_head": 0, "escalated": 0}
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
            done["reminded"] += assignment_remind(assignment_id=pk, now=now)
    overdue = waiting.filter(deadline__lt=now, escalated_at__isnull=True)
    for pk in overdue.filter(overdue_told_at__isnull=True).values_list("pk", flat=True):
        told = assignment_tell_overdue(assignment_id=pk, now=now)
        done["overdue"] += bool(told)
        done["escalated"] += told == "operators"
    # A working day is at least a calendar day: the database narrows the
    # rows to those whose step may be due; each service checks exactly.
    to_head_days = settings_row.escalate_to_head_days
    for pk in overdue.filter(
        head_told_at__isnull=True, deadline__lt=now - timedelta(days=to_head_days)
    ).values_list("pk", flat=True):
        step = assignment_escalate_to_head(assignment_id=pk, now=now)
        if step == "head":
            done["to_head"] += 1
        elif step == "operators":
            done["escalated"] += 1
    to_operators_days = to_head_days + settings_row.escalate_to_operators_days
    for pk in overdue.filter(
        escalated_at__isnull=True, deadline__lt=now - timedelta(days=to_operators_days)
    ).values_list("pk", flat=True):
        done["escalated"] += assignment_escalate(assignment_id=pk, now=now)
    return done


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


def _waits_for_approval(assignment: Assignment) -> bool:
    answer = Answer.objects.filter(assignment=assignment).only("status").first()
    return answer is not None and answer.status == AnswerStatus.SUBMITTED


def assignment_tell_overdue(*, assignment_id: int, now: datetime | None = None) -> str:
    """The deadline passed: tell the department, once per deadline.

    Requires: the assignment still waiting, past its deadline, not yet told.
    Writes: `overdue_told_at`; an ANSWER_OVERDUE row on the public timeline.
    Triggers: `answer_overdue_department` to the department's officials; or,
    when the answer only waits for the operators' approval, the operators'
    step at once. Returns "department", "operators" (told too) or "" when
    nothing was due."""
    now = now or timezone.now()
    with transaction.atomic():
        assignment = locked_assignment(assignment_id)
        if (
            assignment.overdue_told_at is not None
            or assignment.deadline >= now
            or answer_rules.assignment_open_refusal(assignment)
        ):
            return ""
        assignment.overdue_told_at = now
        assignment.save(update_fields=["overdue_told_at"])
        event_record(
            proposal=assignment.proposal,
            kind=EventKind.ANSWER_OVERDUE,
            actor=None,
            department=assignment.department,
        )
        if _waits_for_approval(assignment):
            _escalate(assignment, now, waits_for_approval=True)
            return "operators"
        notices.tell_answer_overdue_department(assignment=assignment)
    return "department"


def assignment_escalate_to_head(*, assignment_id: int, now: datetime | None = None) -> str:
    """`escalate_to_head_days` after the deadline: tell the department head,
    once per deadline; a department without a usable head goes straight to
    the operators.

    Requires: the assignment still waiting, that many days past its deadline,
    neither the head nor the operators told yet.
    Writes: `head_told_at` (or, without a head, `escalated_at`).
    Triggers: `answer_overdue_head` to the head (or the operators' notice).
    Returns "head", "operators" or "" when nothing was due."""
    now = now or timezone.now()
    settings_row = PipelineSettings.load()
    with transaction.atomic():
        assignment = locked_assignment(assignment_id)
        if (
            assignment.head_told_at is not None
            or assignment.escalated_at is not None
            or now
            <= settings_row.answer_due(assignment.deadline, settings_row.escalate_to_head_days)
            or answer_rules.assignment_open_refusal(assignment)
        ):
            return ""
        head = usable_head(assignment.department)
        if head is None:
            _escalate(assignment, now, waits_for_approval=_waits_for_approval(assignment))
            return "operators"
        assignment.head_told_at = now
        assignment.save(update_fields=["head_told_at"])
        notices.tell_answer_overdue_head(assignment=assignment, head=head)
    return "head"


def _escalate(assignment: Assignment, now: datetime, *, waits_for_approval: bool) -> None:
    assignment.escalated_at = now
    assignment.save(update_fields=["escalated_at"])
    notices.tell_answer_overdue(assignment=assignment, waits_for_approval=waits_for_approval)


def assignment_escalate(*, assignment_id: int, now: datetime | None = None) -> bool:
    """The last step: tell the operators that a department missed its
    deadline, once per deadline (`escalate_to_head_days` +
    `escalate_to_operators_days` after it).

    Requires: the assignment still waiting, that far past its deadline, not
    yet escalated.
    Writes: `escalated_at`.
    Triggers: `answer_overdue` to the operators, or
    `answer_overdue_unapproved` when the answer only waits for their approval
    (key `answer_overdue:<assignment>`). Returns whether it escalated."""
    now = now or timezone.now()
    settings_row = PipelineSettings.load()
    days = settings_row.escalate_to_head_days + settings_row.escalate_to_operators_days
    with transaction.atomic():
        assignment = locked_assignment(assignment_id)
        if (
            assignment.escalated_at is not None
            or now <= settings_row.answer_due(assignment.deadline, days)
            or answer_rules.assignment_open_refusal(assignment)
        ):
            return False
        _escalate(assignment, now, waits_for_approval=_waits_for_approval(assignment))
    return True


# --- extensions -----------------------------------------------------------------------


def _require_days(days, *, most: int = EXTENSION_MAX_DAYS, field: str = "days") -> int:
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= most:
        raise ServiceError(
            _("Ask for between 1 and %(most)d days.") % {"most": most}
            if field == "days"
            else _("Grant between 1 and %(most)d days.") % {"most": most}
        )
    return days


def extension_request(*, assignment: Assignment, user, reason: str, days: int) -> DeadlineExtension:
    """The assigned department asks for `days` more days to answer.

    Requires: an official of the assigned department; the assignment current
    and waiting, its answer not submitted; no other request pending; a
    reason; 1 to EXTENSION_MAX_DAYS days.
    Writes: a pending DeadlineExtension; an internal timeline row.
    Triggers: `extension_requested` to the operators."""
    if not answer_rules.is_assigned_official(user, assignment):
        raise PermissionDenied
    reason = require_reason(reason)
    days = _require_days(days)
    with transaction.atomic():
        locked = locked_assignment(assignment.pk)
        if refusal := answer_rules.extension_request_refusal(locked):
            raise ServiceError(refusal)
        try:
            with transaction.atomic():
                extension = DeadlineExtension.objects.create(
                    assignment=locked,
                    requested_by=user,
                    reason=reason,
                    days_requested=days,
                    old_deadline=locked.deadline,
                )
        except IntegrityError:
            raise ServiceError(
                _("A request for more time is already waiting for a decision.")
            ) from None
        event_record(
            proposal=locked.proposal,
            kind=EventKind.EXTENSION_REQUESTED,
            actor=user,
            reason=reason,
            params={"days": days},
            department=locked.department,
            is_public=False,
        )
        notices.tell_extension_requested(extension=extension)
    return extension


def extension_decide(
    *,
    extension: DeadlineExtension,
    user,
    grant: bool,
    days: int | None = None,
    reason: str = "",
) -> DeadlineExtension:
    """An operator grants (`days`, at most as many as asked) or refuses (with
    a reason) a request for more time.

    Granted days are counted from the deadline, or from today when the
    deadline has already passed, in the settings' unit.
    Requires: an operator, or an administrator of the proposal's
    institution; the request pending on a waiting assignment.
    Writes: the request's decision; granted, the assignment's new deadline,
    its steps' marks cleared and `extensions_granted` counted, and a public
    DEADLINE_EXTENDED row (the department's reason); refused, a public
    EXTENSION_REFUSED row (the operator's reason); an audit row either way.
    Triggers: `tell_extension_decided`."""
    if not rules.has_perm("answers.decide_extension", user):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not grant or reason:
        reason = require_reason(reason)
    now = timezone.now()
    with transaction.atomic():
        assignment = locked_assignment(extension.assignment_id)
        locked = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
        locked.assignment = assignment
        require_runs(user, assignment)
        if refusal := answer_rules.extension_decide_refusal(locked, user):
            raise ServiceError(refusal)
        if grant:
            days = _require_days(days, most=locked.days_requested, field="granted")
            settings_row = PipelineSettings.load()
            new_deadline = settings_row.answer_due(max(assignment.deadline, now), days)
            locked.status = ExtensionStatus.GRANTED
            locked.days_granted = days
            locked.new_deadline = new_deadline
            assignment.deadline = new_deadline
            assignment.reminded_at = None
            assignment.overdue_told_at = None
            assignment.head_told_at = None
            assignment.escalated_at = None
            assignment.extensions_granted += 1
            assignment.save(
                update_fields=[
                    "deadline",
                    "reminded_at",
                    "overdue_told_at",
                    "head_told_at",
                    "escalated_at",
                    "extensions_granted",
                ]
            )
            event_record(
                proposal=assignment.proposal,
                kind=EventKind.DEADLINE_EXTENDED,
                actor=user,
                reason=locked.reason,
                params={
                    "text": DEADLINE_EXTENDED,
                    "days": days,
                    "deadline": notices.due_date(new_deadline),
                },
                department=assignment.department,
            )
        else:
            locked.status = ExtensionStatus.REFUSED
            event_record(
                proposal=assignment.proposal,
                kind=EventKind.EXTENSION_REFUSED,
                actor=user,
                reason=reason,
                department=assignment.department,
            )
        locked.decided_by = user
        locked.decided_at = now
        locked.decision_reason = reason
        locked.save(
            update_fields=[
                "status",
                "days_granted",
                "new_deadline",
                "decided_by",
                "decided_at",
                "decision_reason",
            ]
        )
        audit_record(
            actor=user,
            action=audit_words.EXTENSION_GRANTED if grant else audit_words.EXTENSION_REFUSED,
            target=locked,
            params={
                "asked": locked.days_requested,
                "days": locked.days_granted or 0,
                "deadline": notices.due_date(assignment.deadline),
            },
        )
        notices.tell_extension_decided(extension=locked)
    return locked
