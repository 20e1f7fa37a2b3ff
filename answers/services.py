"""Every change to assignments, answers, reassignment requests and ratings.

One function per state change, keyword-only. Each checks who may act
(rules.py), checks the move is allowed now, writes with `update_fields`,
records a row on the proposal's timeline and sends its notices (rows now,
e-mails after commit). The admin, the pages, the pipeline and the beat task
all call these; nothing else assigns a status. A refused step raises
PermissionDenied, ServiceError (a translated reason) or ValidationError (a
form's field errors) and changes nothing."""

from datetime import datetime, time, timedelta

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oasis.errors import PermissionDenied, ServiceError
from oasis.i18n import for_the_record
from proposals.models import EventKind, PipelineSettings, Proposal, ProposalStatus
from proposals.timeline import event_record, proposal_transition, queue_promotion_check

from . import notices
from . import rules as answer_rules
from .models import (
    RATING_COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Answer,
    AnswerDecision,
    AnswerRating,
    AnswerStatus,
    Assignment,
    ReassignmentRequest,
    ReassignmentStatus,
    RefusalBasisKind,
    deadline_for,
)

ANSWER_TEXT_FIELDS = ("summary", "necessity", "effectiveness", "feasibility", "refusal_basis")
# What a department must fill in before it submits (the refusal basis only
# for "not accept", checked separately).
ANSWER_REQUIRED_FIELDS = ("summary", "necessity", "effectiveness", "feasibility")


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Please give a reason."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ServiceError(
            _("The reason may be at most %(n)d characters.") % {"n": REASON_MAX_LENGTH}
        )
    return reason


def _locked_assignment(pk: int) -> Assignment:
    # Every service locks the assignment first, then its answer or request,
    # then (through proposal_transition) the proposal: one order, no deadlock.
    return (
        Assignment.objects.select_for_update().select_related("proposal", "department").get(pk=pk)
    )


# --- assignment -------------------------------------------------------------------


def assignment_open(
    *, proposal: Proposal, actor=None, reason: str = "", department=None
) -> Assignment:
    """Give a proposal to a department to answer by the deadline.

    Requires: the proposal may become ASSIGNED (it is open, or not reached and
    moved forward by hand); `actor` is None (the pipeline, which holds the
    proposal's row lock) or an operator; a department, the one given or else
    the category's default, that is active.
    Writes: an Assignment due `answer_deadline_days` after today (end of that
    Seoul day); the proposal's department and status ASSIGNED, with one
    timeline row naming the department.
    Triggers: notices to the department's officials (`assigned_department`),
    the operators (`assigned_operator`) and the proposer and followers
    (`assigned`), once each (key `assigned:<assignment>`)."""
    if actor is not None and not rules.has_perm("answers.open_assignment", actor):
        raise PermissionDenied
    department = department or proposal.category.default_department
    if department is None:
        raise ServiceError(
            _(
                "The category “%(category)s” has no default department. Set one in "
                "the admin, then assign the proposal."
            )
            % {"category": proposal.category.label}
        )
    if not department.is_active:
        raise ServiceError(
            _("%(department)s is not active and cannot answer proposals.")
            % {"department": department.label}
        )
    settings_row = PipelineSettings.load()
    with transaction.atomic():
        locked = proposal_transition(
            proposal=proposal,
            to_status=ProposalStatus.ASSIGNED,
            actor=actor,
            reason=reason,
            department=department,
        )
        now = timezone.now()
        assignment = Assignment.objects.create(
            proposal=locked,
            department=department,
            assigned_at=now,
            deadline=deadline_for(now, settings_row.answer_deadline_days),
        )
        locked.department = department
        locked.save(update_fields=["department", "updated_at"])
        notices.tell_assigned(assignment=assignment)
    proposal.status, proposal.department = locked.status, department
    return assignment


def assignment_reassign(*, assignment: Assignment, user, department, reason: str) -> Assignment:
    """An operator gives the proposal to another department directly (without
    a request, or settling a pending one).

    Requires: an operator; the assignment current and still waiting for its
    answer; another, active department; a reason (shown on the timeline).
    Writes: see `_reassign`; a pending request is marked approved.
    Triggers: notices to the new department and the proposer and followers.
    Returns the new assignment."""
    if not rules.has_perm("answers.reassign", user):
        raise PermissionDenied
    reason = _require_reason(reason)
    with transaction.atomic():
        locked = _locked_assignment(assignment.pk)
        if refusal := answer_rules.assignment_open_refusal(locked):
            raise ServiceError(refusal)
        new = _reassign(assignment=locked, user=user, department=department, reason=reason)
        ReassignmentRequest.objects.filter(
            assignment=locked, status=ReassignmentStatus.PENDING
        ).update(
            status=ReassignmentStatus.APPROVED,
            to_department=department,
            decided_by=user,
            decided_at=new.assigned_at,
            decision_reason=reason,
        )
    return new


def _reassign(*, assignment: Assignment, user, department, reason: str) -> Assignment:
    """Close `assignment` (locked, current, open) and open a new one for
    `department` with a fresh deadline; move the proposal's department; record
    REASSIGNED on the public timeline; tell the new department (`reassigned`)
    and the proposer and followers (`reassigned_public`)."""
    if department is None:
        raise ValidationError({"department": _("Choose the department to reassign it to.")})
    if department.pk == assignment.department_id:
        raise ServiceError(
            _("The proposal is already with %(department)s.") % {"department": department.label}
        )
    if not department.is_active:
        raise ServiceError(
            _("%(department)s is not active and cannot answer proposals.")
            % {"department": department.label}
        )
    now = timezone.now()
    # The old row stops being current before the new one is inserted: the
    # database allows one current assignment per proposal.
    assignment.is_current = False
    assignment.closed_at = now
    assignment.save(update_fields=["is_current", "closed_at"])
    new = Assignment.objects.create(
        proposal=assignment.proposal,
        department=department,
        assigned_at=now,
        deadline=deadline_for(now, PipelineSettings.load().answer_deadline_days),
    )
    proposal = Proposal.objects.select_for_update().get(pk=assignment.proposal_id)
    proposal.department = department
    proposal.save(update_fields=["department", "updated_at"])
    event_record(
        proposal=proposal,
        kind=EventKind.REASSIGNED,
        actor=user,
        reason=reason,
        department=department,
    )
    new.proposal = proposal
    notices.tell_reassigned(assignment=new)
    return new


# --- the department's answer ----------------------------------------------------


def _clean_answer_values(values: dict) -> dict:
    """Shape checks that hold even for a draft. Raises ValidationError."""
    errors, cleaned = {}, {}
    for field in ANSWER_TEXT_FIELDS:
        text = (values.get(field) or "").replace("\r\n", "\n").strip()
        limit = Answer._meta.get_field(field).max_length
        if len(text) > limit:
            errors[field] = _("At most %(n)d characters, please.") % {"n": limit}
        cleaned[field] = text
    budget = values.get("estimated_budget")
    if budget in ("", None):
        cleaned["estimated_budget"] = None
    else:
        try:
            budget = int(budget)
        except (TypeError, ValueError):
            budget = -1
        if budget < 0:
            errors["estimated_budget"] = _("The budget is a whole number of won, 0 or more.")
        cleaned["estimated_budget"] = budget
    for field, choices in (("decision", AnswerDecision), ("refusal_basis_kind", RefusalBasisKind)):
        value = values.get(field) or ""
        if value and value not in choices.values:
            errors[field] = _("Choose one of the options.")
        cleaned[field] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_complete(answer: Answer) -> None:
    """What a department must give before its answer goes to the operators."""
    errors = {}
    if not answer.decision:
        errors["decision"] = _("Choose a decision.")
    for field in ANSWER_REQUIRED_FIELDS:
        if not getattr(answer, field).strip():
            errors[field] = _("Please fill this in before submitting.")
    if answer.decision == AnswerDecision.NOT_ACCEPT:
        if not answer.refusal_basis_kind:
            errors["refusal_basis_kind"] = _(
                "An answer that does not accept must cite its basis: an ordinance, "
                "the budget, a law or another rule."
            )
        if not answer.refusal_basis.strip():
            errors["refusal_basis"] = _(
                "Explain in plain words what the basis is and why it stands in the way."
            )
    if errors:
        raise ValidationError(errors)


def answer_save(
    *,
    assignment: Assignment,
    user,
    summary: str = "",
    necessity: str = "",
    effectiveness: str = "",
    feasibility: str = "",
    estimated_budget: int | None = None,
    decision: str = "",
    refusal_basis_kind: str = "",
    refusal_basis: str = "",
) -> Answer:
    """An official of the assigned department writes or changes the draft.

    Requires: an official of the assignment's department (another
    department's official gets PermissionDenied); the assignment current and
    waiting; no answer yet or a draft one. A draft may be incomplete.
    Writes: the Answer (created on first save), `written_by` the last writer.
    Triggers: nothing; a draft is internal."""
    if not answer_rules.is_assigned_official(user, assignment):
        raise PermissionDenied
    values = _clean_answer_values(
        {
            "summary": summary,
            "necessity": necessity,
            "effectiveness": effectiveness,
            "feasibility": feasibility,
            "estimated_budget": estimated_budget,
            "decision": decision,
            "refusal_basis_kind": refusal_basis_kind,
            "refusal_basis": refusal_basis,
        }
    )
    with transaction.atomic():
        locked = _locked_assignment(assignment.pk)
        answer = Answer.objects.select_for_update().filter(assignment=locked).first()
        if refusal := answer_rules.answer_edit_refusal(locked, answer):
            raise ServiceError(refusal)
        if answer is None:
            answer = Answer.objects.create(assignment=locked, written_by=user, **values)
        else:
            for field, value in values.items():
                setattr(answer, field, value)
            answer.written_by = user
            answer.save(update_fields=[*values, "written_by", "updated_at"])
    return answer


def answer_submit(*, answer: Answer, user) -> Answer:
    """The department sends its answer to the operators for approval.

    Requires: an official of the assigned department; the answer a draft on a
    current, waiting assignment with no reassignment request pending; a
    decision, the summary, necessity, effectiveness and feasibility, and for
    "not accept" the basis (kind and plain words), else ValidationError.
    Writes: status SUBMITTED, `submitted_at`; an internal timeline row.
    Triggers: `answer_submitted` to the operators."""
    if not answer_rules.is_assigned_official(user, answer.assignment):
        raise PermissionDenied
    with transaction.atomic():
        assignment = _locked_assignment(answer.assignment_id)
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        locked.assignment = assignment
        if refusal := answer_rules.answer_submit_refusal(locked):
            raise ServiceError(refusal)
        _check_complete(locked)
        locked.status = AnswerStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.written_by = user
        locked.save(update_fields=["status", "submitted_at", "written_by", "updated_at"])
        event = event_record(
            proposal=assignment.proposal,
            kind=EventKind.ANSWER_SUBMITTED,
            actor=user,
            department=assignment.department,
            is_public=False,
        )
        notices.tell_answer_submitted(assignment=assignment, event_id=event.pk)
    return locked


def answer_return(*, answer: Answer, user, reason: str) -> Answer:
    """An operator sends a submitted answer back to the department for changes.

    Requires: an operator; the answer submitted on a current, waiting
    assignment; a reason.
    Writes: status DRAFT, `returned_at`, `return_reason`; an internal timeline row.
    Triggers: `answer_returned` to the department's officials."""
    if not rules.has_perm("answers.review_answer", user):
        raise PermissionDenied
    reason = _require_reason(reason)
    with transaction.atomic():
        assignment = _locked_assignment(answer.assignment_id)
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        locked.assignment = assignment
        if refusal := answer_rules.answer_review_refusal(locked, AnswerStatus.DRAFT):
            raise ServiceError(refusal)
        locked.status = AnswerStatus.DRAFT
        locked.returned_at = timezone.now()
        locked.return_reason = reason
        locked.save(update_fields=["status", "returned_at", "return_reason", "updated_at"])
        event = event_record(
            proposal=assignment.proposal,
            kind=EventKind.ANSWER_RETURNED,
            actor=user,
            reason=reason,
            department=assignment.department,
            is_public=False,
        )
        notices.tell_answer_returned(assignment=assignment, event_id=event.pk, reason=reason)
    return locked


def answer_publish(*, answer: Answer, user) -> Answer:
    """An operator approves a submitted answer and publishes it.

    Requires: an operator; the answer submitted on a current assignment whose
    proposal still waits for it (ASSIGNED).
    Writes: status PUBLISHED, `approved_by`, `published_at`, `met_deadline`
    (published by the deadline or not); the assignment closed; the proposal
    ANSWERED with a public timeline row naming the department.
    Triggers: `answer_published` to the proposer and followers; a promotion
    check after commit, so a proposal already past the debate bar moves on."""
    if not rules.has_perm("answers.review_answer", user):
        raise PermissionDenied
    with transaction.atomic():
        assignment = _locked_assignment(answer.assignment_id)
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        locked.assignment = assignment
        if refusal := answer_rules.answer_review_refusal(locked, AnswerStatus.PUBLISHED):
            raise ServiceError(refusal)
        now = timezone.now()
        met_deadline = now <= assignment.deadline
        proposal = proposal_transition(
            proposal=assignment.proposal,
            to_status=ProposalStatus.ANSWERED,
            actor=user,
            reason=for_the_record(_publish_reason, locked, assignment, now),
            department=assignment.department,
        )
        locked.status = AnswerStatus.PUBLISHED
        locked.approved_by = user
        locked.published_at = now
        locked.met_deadline = met_deadline
        locked.save(
            update_fields=["status", "approved_by", "published_at", "met_deadline", "updated_at"]
        )
        assignment.closed_at = now
        assignment.save(update_fields=["closed_at"])
        assignment.proposal = proposal
        notices.tell_answer_published(assignment=assignment, answer=locked)
        queue_promotion_check(proposal.pk)
    return locked


def _publish_reason(answer: Answer, assignment: Assignment, now: datetime) -> str:
    decision = AnswerDecision(answer.decision).label
    if now <= assignment.deadline:
        return _("Decision: %(decision)s. Answered by the deadline.") % {"decision": decision}
    late = (timezone.localtime(now).date() - timezone.localtime(assignment.deadline).date()).days
    late = max(late, 1)
    return ngettext(
        "Decision: %(decision)s. Answered %(days)d day after the deadline.",
        "Decision: %(decision)s. Answered %(days)d days after the deadline.",
        late,
    ) % {"decision": decision, "days": late}


# --- reassignment ------------------------------------------------------------------


def reassignment_request(
    *, assignment: Assignment, user, reason: str, suggested_department=None
) -> ReassignmentRequest:
    """The assigned department asks to have the proposal given to another.

    Requires: an official of the assigned department; the assignment current
    and waiting, its answer not submitted; no other request pending; a reason.
    Writes: a pending ReassignmentRequest; an internal timeline row.
    Triggers: `reassignment_requested` to the operators."""
    if not answer_rules.is_assigned_official(user, assignment):
        raise PermissionDenied
    reason = _require_reason(reason)
    if suggested_department is not None and suggested_department.pk == assignment.department_id:
        raise ValidationError(
            {"suggested_department": _("Suggest a department other than your own.")}
        )
    with transaction.atomic():
        locked = _locked_assignment(assignment.pk)
        if refusal := answer_rules.reassignment_request_refusal(locked):
            raise ServiceError(refusal)
        try:
            with transaction.atomic():
                request = ReassignmentRequest.objects.create(
                    assignment=locked,
                    requested_by=user,
                    reason=reason,
                    suggested_department=suggested_department,
                )
        except IntegrityError:
            raise ServiceError(
                _("A reassignment request for this proposal is already waiting for a decision.")
            ) from None
        event_record(
            proposal=locked.proposal,
            kind=EventKind.REASSIGNMENT_REQUESTED,
            actor=user,
            reason=reason,
            department=locked.department,
            is_public=False,
        )
        notices.tell_reassignment_requested(request=request, reason=reason)
    return request


def reassignment_decide(
    *,
    request: ReassignmentRequest,
    user,
    approve: bool,
    department=None,
    reason: str = "",
) -> ReassignmentRequest:
    """An operator decides a reassignment request.

    Requires: an operator; the request pending on a current, waiting
    assignment. Approving needs the department to reassign to (another,
    active one); refusing needs a reason.
    Writes: the request's decision (status, who, when, why, department).
    Approving closes the assignment and opens one for the new department with
    a fresh deadline, moves the proposal's department and records REASSIGNED
    on the public timeline (the operator's reason, else the department's).
    Refusing records an internal timeline row.
    Triggers: approved, `reassigned` to the new department and
    `reassigned_public` to the proposer and followers; refused,
    `reassignment_refused` to the official who asked."""
    if not rules.has_perm("answers.decide_reassignment", user):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not approve or reason:
        reason = _require_reason(reason)
    with transaction.atomic():
        assignment = _locked_assignment(request.assignment_id)
        locked = ReassignmentRequest.objects.select_for_update().get(pk=request.pk)
        locked.assignment = assignment
        if refusal := answer_rules.reassignment_decide_refusal(locked):
            raise ServiceError(refusal)
        if approve:
            new = _reassign(
                assignment=assignment,
                user=user,
                department=department,
                reason=reason or locked.reason,
            )
            locked.status = ReassignmentStatus.APPROVED
            locked.to_department = department
            decided_at = new.assigned_at
            # The department that asked hears that it is relieved of it.
            notices.tell_reassignment_approved(request=locked, department=department)
        else:
            locked.status = ReassignmentStatus.REFUSED
            decided_at = timezone.now()
            event_record(
                proposal=assignment.proposal,
                kind=EventKind.REASSIGNMENT_REFUSED,
                actor=user,
                reason=reason,
                department=assignment.department,
                is_public=False,
            )
            notices.tell_reassignment_refused(request=locked, reason=reason)
        locked.decided_by = user
        locked.decided_at = decided_at
        locked.decision_reason = reason
        locked.save(
            update_fields=["status", "to_department", "decided_by", "decided_at", "decision_reason"]
        )
    return locked


# --- rating ----------------------------------------------------------------------


def answer_rate(*, answer: Answer, user, score: int, comment: str = "") -> AnswerRating:
    """The proposer rates the published answer, 1 to 5 with a comment, once.

    Requires: the proposal's author; the answer published and not yet rated
    (a second rating is refused with ServiceError); a score from 1 to 5.
    Writes: an AnswerRating; an ANSWER_RATED row on the public timeline.
    Triggers: `answer_rated` to the department's officials."""
    if not answer_rules.is_proposer(user, answer):
        raise PermissionDenied
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("Choose a score from 1 to 5.")})
    comment = (comment or "").replace("\r\n", "\n").strip()
    if len(comment) > RATING_COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"comment": _("At most %(n)d characters, please.") % {"n": RATING_COMMENT_MAX_LENGTH}}
        )
    with transaction.atomic():
        locked = (
            Answer.objects.select_for_update()
            .select_related("assignment__proposal", "assignment__department")
            .get(pk=answer.pk)
        )
        if refusal := answer_rules.answer_rate_refusal(locked):
            raise ServiceError(refusal)
        try:
            with transaction.atomic():
                rating = AnswerRating.objects.create(
                    answer=locked, rater=user, score=score, comment=comment
                )
        except IntegrityError:
            raise ServiceError(_("You have already rated this answer.")) from None
        assignment = locked.assignment
        event_record(
            proposal=assignment.proposal,
            kind=EventKind.ANSWER_RATED,
            actor=user,
            reason=for_the_record(lambda: _("%(score)d out of 5") % {"score": score}),
        )
        notices.tell_answer_rated(rating=rating, assignment=assignment)
    return rating


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
        assignment = _locked_assignment(assignment_id)
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
        assignment = _locked_assignment(assignment_id)
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
