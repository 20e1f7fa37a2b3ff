"""Amending a published answer: the department writes the answer as it
should now read with a reason, submits it, and an operator approves it
(the answer then reads so, its earlier text kept on the amendment) or
returns it with a reason. Follows answering.py's draft → submit →
publish/return."""

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind
from proposals.timeline import event_record

from .. import notices, timeline_texts
from .. import rules as answer_rules
from ..models import (
    AMENDABLE_FIELDS,
    AmendmentStatus,
    Answer,
    AnswerAmendment,
)
from ..signals import answer_amended
from .answering import _check_complete, _clean_answer_values
from .shared import locked_assignment, require_reason, require_runs


def _locked_answer(answer_id: int) -> Answer:
    """The answer locked after its assignment (the services' one order)."""
    answer = Answer.objects.only("assignment_id").get(pk=answer_id)
    assignment = locked_assignment(answer.assignment_id)
    locked = Answer.objects.select_for_update().get(pk=answer_id)
    locked.assignment = assignment
    return locked


def _open_amendment(answer: Answer) -> AnswerAmendment | None:
    return (
        AnswerAmendment.objects.select_for_update()
        .filter(answer=answer, status__in=[AmendmentStatus.DRAFT, AmendmentStatus.SUBMITTED])
        .first()
    )


def amendment_changes(answer: Answer, amendment: AnswerAmendment) -> list[str]:
    """The names of the answer's parts the amendment would change."""
    return [f for f in AMENDABLE_FIELDS if getattr(answer, f) != getattr(amendment, f)]


def amendment_save(
    *,
    answer: Answer,
    user,
    reason: str,
    summary: str = "",
    necessity: str = "",
    effectiveness: str = "",
    feasibility: str = "",
    estimated_budget: int | None = None,
    decision: str = "",
    refusal_basis_kind: str = "",
    refusal_basis: str = "",
) -> AnswerAmendment:
    """An official of the answer's department writes (or changes the draft
    of) an amendment: the answer in full as it should read, and why.

    Requires: an official of the assignment's department (else
    PermissionDenied); the answer published; no amendment of it waiting for
    approval; a reason (ServiceError when empty: nothing is saved).
    Writes: the answer's one draft amendment (created on first save).
    Triggers: nothing; a draft is internal."""
    if not answer_rules.is_assigned_official(user, answer.assignment):
        raise PermissionDenied
    reason = require_reason(reason)
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
        locked = _locked_answer(answer.pk)
        draft = _open_amendment(locked)
        if refusal := answer_rules.amendment_write_refusal(locked, draft):
            raise ServiceError(refusal)
        if draft is None:
            try:
                with transaction.atomic():
                    return AnswerAmendment.objects.create(
                        answer=locked, written_by=user, reason=reason, **values
                    )
            except IntegrityError:
                # Another official opened one at the same moment.
                raise ServiceError(_("This answer already has an amendment in progress.")) from None
        for field, value in values.items():
            setattr(draft, field, value)
        draft.reason = reason
        draft.written_by = user
        draft.save(update_fields=[*values, "reason", "written_by", "updated_at"])
    return draft


def amendment_submit(*, amendment: AnswerAmendment, user) -> AnswerAmendment:
    """The department sends its amendment to the operators for approval.

    Requires: an official of the answer's department; the amendment a draft
    of a published answer; it changes something; the amended answer is
    complete as a submitted answer must be (a decision, the four sections,
    for "not accept" its basis), else ValidationError.
    Writes: status SUBMITTED, `submitted_at`; an internal timeline row.
    Triggers: `amendment_submitted` to the operators."""
    if not answer_rules.is_assigned_official(user, amendment.answer.assignment):
        raise PermissionDenied
    with transaction.atomic():
        answer = _locked_answer(amendment.answer_id)
        locked = AnswerAmendment.objects.select_for_update().get(pk=amendment.pk)
        locked.answer = answer
        if refusal := answer_rules.amendment_submit_refusal(locked):
            raise ServiceError(refusal)
        _check_complete(locked)
        if not amendment_changes(answer, locked):
            raise ServiceError(_("The amendment changes nothing in the published answer."))
        locked.status = AmendmentStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.written_by = user
        locked.save(update_fields=["status", "submitted_at", "written_by", "updated_at"])
        assignment = answer.assignment
        event = event_record(
            proposal=assignment.proposal,
            kind=EventKind.AMENDMENT_SUBMITTED,
            actor=user,
            reason=locked.reason,
            department=assignment.department,
            is_public=False,
        )
        notices.tell_amendment_submitted(
            assignment=assignment, event_id=event.pk, reason=locked.reason
        )
    return locked


def amendment_return(*, amendment: AnswerAmendment, user, reason: str) -> AnswerAmendment:
    """An operator sends a submitted amendment back; the answer stays as it was.

    Requires: an operator, or an administrator of the proposal's
    institution; the amendment submitted; a reason.
    Writes: status RETURNED (closed: the department may write a new one,
    which starts from this text), `return_reason`, `decided_by/at`; an
    internal timeline row.
    Triggers: `amendment_returned` to the department's officials."""
    if not rules.has_perm("answers.review_amendment", user):
        raise PermissionDenied
    reason = require_reason(reason)
    with transaction.atomic():
        answer = _locked_answer(amendment.answer_id)
        locked = AnswerAmendment.objects.select_for_update().get(pk=amendment.pk)
        locked.answer = answer
        require_runs(user, answer.assignment)
        if refusal := answer_rules.amendment_review_refusal(locked, AmendmentStatus.RETURNED, user):
            raise ServiceError(refusal)
        locked.status = AmendmentStatus.RETURNED
        locked.return_reason = reason
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.save(
            update_fields=["status", "return_reason", "decided_by", "decided_at", "updated_at"]
        )
        assignment = answer.assignment
        event_record(
            proposal=assignment.proposal,
            kind=EventKind.AMENDMENT_RETURNED,
            actor=user,
            reason=reason,
            department=assignment.department,
            is_public=False,
        )
        notices.tell_amendment_returned(assignment=assignment, amendment=locked)
    return locked


def amendment_approve(*, amendment: AnswerAmendment, user) -> AnswerAmendment:
    """An operator approves a submitted amendment: the answer now reads as
    amended.

    Requires: an operator, or an administrator of the proposal's
    institution; the amendment submitted, of a published answer.
    Writes: the answer's amended parts and `amended_at`; the amendment
    APPROVED with `previous` (the answer's earlier values) and `changed`;
    a public ANSWER_AMENDED timeline row (the parts that changed, the
    decision before and after, the department's reason as typed). The
    proposer's rating, if given, stays as it is.
    Triggers: `answer_amended` (or `answer_amended_decision` when the
    decision changed) to the proposer and followers; the
    `answers.signals.answer_amended` signal, inside the transaction."""
    if not rules.has_perm("answers.review_amendment", user):
        raise PermissionDenied
    with transaction.atomic():
        answer = _locked_answer(amendment.answer_id)
        locked = AnswerAmendment.objects.select_for_update().get(pk=amendment.pk)
        locked.answer = answer
        require_runs(user, answer.assignment)
        if refusal := answer_rules.amendment_review_refusal(locked, AmendmentStatus.APPROVED, user):
            raise ServiceError(refusal)
        changed = amendment_changes(answer, locked)
        if not changed:
            raise ServiceError(_("The amendment changes nothing in the published answer."))
        try:
            _check_complete(locked)
        except ValidationError as exc:
            raise ServiceError(" ".join(exc.messages)) from None
        now = timezone.now()
        old_decision = answer.decision
        locked.previous = {field: getattr(answer, field) for field in changed}
        locked.changed = changed
        for field in changed:
            setattr(answer, field, getattr(locked, field))
        answer.amended_at = now
        answer.save(update_fields=[*changed, "amended_at", "updated_at"])
        locked.status = AmendmentStatus.APPROVED
        locked.decided_by = user
        locked.decided_at = now
        locked.save(
            update_fields=[
                "status",
                "previous",
                "changed",
                "decided_by",
                "decided_at",
                "updated_at",
            ]
        )
        assignment = answer.assignment
        event_record(
            proposal=assignment.proposal,
            kind=EventKind.ANSWER_AMENDED,
            actor=user,
            reason=locked.reason,
            params={
                "text": timeline_texts.ANSWER_AMENDED,
                "fields": changed,
                "decision": answer.decision,
                "old_decision": old_decision,
            },
            department=assignment.department,
        )
        notices.tell_answer_amended(
            assignment=assignment, amendment=locked, old_decision=old_decision
        )
        answer_amended.send(
            sender=AnswerAmendment,
            answer=answer,
            amendment=locked,
            old_decision=old_decision,
            new_decision=answer.decision,
        )
    return locked
