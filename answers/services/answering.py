"""The department's answer: a draft, its submission, the operators' return or
publication, and the proposer's rating."""

from datetime import datetime

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.participation import Action, earner_id, participated
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind, ProposalStatus
from proposals.participation import proposer_id
from proposals.timeline import event_record, proposal_transition, queue_promotion_check

from .. import notices, signals, timeline_texts
from .. import rules as answer_rules
from ..models import (
    RATING_COMMENT_MAX_LENGTH,
    Answer,
    AnswerDecision,
    AnswerRating,
    AnswerStatus,
    Assignment,
    RefusalBasisKind,
)
from .shared import locked_assignment, require_reason, require_runs

ANSWER_TEXT_FIELDS = ("summary", "necessity", "effectiveness", "feasibility", "refusal_basis")
# What a department must fill in before it submits (the refusal basis only
# for "not accept", checked separately).
ANSWER_REQUIRED_FIELDS = ("summary", "necessity", "effectiveness", "feasibility")


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
        locked = locked_assignment(assignment.pk)
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
        assignment = locked_assignment(answer.assignment_id)
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

    Requires: an operator, or an administrator of the proposal's
    institution; the answer submitted on a current, waiting assignment; a
    reason.
    Writes: status DRAFT, `returned_at`, `return_reason`; an internal timeline row.
    Triggers: `answer_returned` to the department's officials."""
    if not rules.has_perm("answers.review_answer", user):
        raise PermissionDenied
    reason = require_reason(reason)
    with transaction.atomic():
        assignment = locked_assignment(answer.assignment_id)
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        locked.assignment = assignment
        require_runs(user, assignment)
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

    Requires: an operator, or an administrator of the proposal's
    institution; the answer submitted on a current assignment whose
    proposal still waits for it (ASSIGNED).
    Writes: status PUBLISHED, `approved_by`, `published_at`, `met_deadline`
    (published by the deadline or not); the assignment closed; the proposal
    ANSWERED with a public timeline row naming the department.
    Triggers: `answer_published` to the proposer and followers; the
    `answers.signals.answer_published` signal (an accepting answer becomes a
    promise card, pipeline/apps.py); a promotion check after commit, so a
    proposal already past the debate bar moves on."""
    if not rules.has_perm("answers.review_answer", user):
        raise PermissionDenied
    with transaction.atomic():
        assignment = locked_assignment(answer.assignment_id)
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        locked.assignment = assignment
        require_runs(user, assignment)
        if refusal := answer_rules.answer_review_refusal(locked, AnswerStatus.PUBLISHED):
            raise ServiceError(refusal)
        now = timezone.now()
        met_deadline = now <= assignment.deadline
        proposal = proposal_transition(
            proposal=assignment.proposal,
            to_status=ProposalStatus.ANSWERED,
            actor=user,
            params=_publish_params(locked, assignment, now),
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
        participated(
            action=Action.ANSWERED,
            member_id=proposer_id(proposal),
            source=locked,
            proposal_id=proposal.pk,
        )
        # Before the promotion check: the conductor decides here, from the
        # counts as they are now, whether the answer is a promise to track.
        signals.answer_published.send(sender=Answer, answer=locked)
        queue_promotion_check(proposal.pk)
    return locked


def _publish_params(answer: Answer, assignment: Assignment, now: datetime) -> dict:
    """The timeline's words for a published answer: its decision and how many
    days late it came (0: by the deadline), as codes (timeline_texts.py)."""
    late = 0
    if now > assignment.deadline:
        late = (
            timezone.localtime(now).date() - timezone.localtime(assignment.deadline).date()
        ).days
        late = max(late, 1)
    return {
        "text": timeline_texts.ANSWER_PUBLISHED,
        "decision": answer.decision,
        "late_days": late,
    }


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
            params={"text": timeline_texts.ANSWER_RATED, "score": score},
        )
        notices.tell_answer_rated(rating=rating, assignment=assignment)
        participated(
            action=Action.RATE_ANSWER,
            member_id=earner_id(user),
            source=rating,
            proposal_id=assignment.proposal_id,
        )
    return rating
