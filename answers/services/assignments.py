"""Assigning a proposal to a department, reassigning it, and the department's
requests to have it reassigned."""

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind, PipelineSettings, Proposal, ProposalStatus
from proposals.timeline import event_record, proposal_transition

from .. import notices
from .. import rules as answer_rules
from ..models import (
    Assignment,
    ReassignmentRequest,
    ReassignmentStatus,
)
from ..routing import routed_department
from .shared import locked_assignment, require_reason, require_runs

# --- assignment -------------------------------------------------------------------


# Why a proposal could not be given to a department (ServiceError.code).
NO_DEFAULT_DEPARTMENT = "no_default_department"
DEPARTMENT_INACTIVE = "department_inactive"
OTHER_INSTITUTION = "other_institution"


def assignment_open(
    *,
    proposal: Proposal,
    actor=None,
    reason: str = "",
    params: dict | None = None,
    department=None,
) -> Assignment:
    """Give a proposal to a department to answer by the deadline.

    Requires: the proposal may become ASSIGNED (it is open, or not reached and
    moved forward by hand); `actor` is None (the pipeline, which holds the
    proposal's row lock) or one who runs the proposal's answers (an
    operator, or an administrator of the institution it is addressed to);
    a department, the one given or else the category's default, that is
    active and of the proposal's institution.
    Writes: an Assignment due `answer_deadline_days` after today, in working
    or calendar days as the settings say (PipelineSettings.answer_due); the proposal's department and status ASSIGNED, with one
    timeline row naming the department.
    Triggers: notices to the department's officials (`assigned_department`),
    the operators (`assigned_operator`) and the proposer and followers
    (`assigned`), once each (key `assigned:<assignment>`)."""
    if actor is not None and not rules.has_perm("answers.open_assignment", actor):
        raise PermissionDenied
    department = assignment_department(proposal=proposal, department=department)
    settings_row = PipelineSettings.load()
    with transaction.atomic():
        if actor is not None:
            # Whose proposal it is, asked of the locked row.
            require_runs(
                actor,
                Proposal.objects.select_for_update()
                .only("pk", "institution_id")
                .get(pk=proposal.pk),
            )
        locked = proposal_transition(
            proposal=proposal,
            to_status=ProposalStatus.ASSIGNED,
            actor=actor,
            reason=reason,
            params=params,
            department=department,
        )
        now = timezone.now()
        assignment = Assignment.objects.create(
            proposal=locked,
            department=department,
            assigned_at=now,
            deadline=settings_row.answer_due(now),
        )
        locked.department = department
        locked.save(update_fields=["department", "updated_at"])
        notices.tell_assigned(assignment=assignment)
    proposal.status, proposal.department = locked.status, department
    return assignment


def assignment_department(*, proposal: Proposal, department=None):
    """The department an assignment of `proposal` goes to: `department` if
    given, else the one a registered rule names (answers.routing: a theme's
    proposal goes to the theme's department), else its category's default; refused (ServiceError with the code
    NO_DEFAULT_DEPARTMENT or DEPARTMENT_INACTIVE) when there is none or it is
    not active. Read by assignment_open and by the conductor's preview of a
    bar change, so the preview names the departments the sweep will notify."""
    department = department or routed_department(proposal) or proposal.category.default_department
    if department is None:
        raise ServiceError(
            _(
                "The category “%(category)s” has no default department. Set one in "
                "the admin, then assign the proposal."
            )
            % {"category": proposal.category.label},
            code=NO_DEFAULT_DEPARTMENT,
        )
    if not department.is_active:
        raise ServiceError(
            _("%(department)s is not active and cannot answer proposals.")
            % {"department": department.label},
            code=DEPARTMENT_INACTIVE,
        )
    if refusal := answer_rules.department_institution_refusal(proposal, department):
        raise ServiceError(refusal, code=OTHER_INSTITUTION)
    return department


class HandAssignmentRefused(ServiceError):
    """Some of the proposals of a hand assignment cannot be assigned; none was.
    `refusals` lists (proposal, reason) for each of them."""

    def __init__(self, refusals):
        self.refusals = refusals
        super().__init__(
            ngettext(
                "%(count)d proposal cannot be assigned, so none was. Nothing has been changed.",
                "%(count)d proposals cannot be assigned, so none was. Nothing has been changed.",
                len(refusals),
            )
            % {"count": len(refusals)}
        )


def assignments_open_by_hand(*, proposals, user, department, reason: str) -> list[Assignment]:
    """An operator gives one or many proposals to `department`, whatever
    their categories' default departments (the default is only a suggestion).

    All or nothing: the proposals were chosen together, for one department
    and one reason, so either all are assigned or none is, and every
    proposal that cannot be is named (HandAssignmentRefused) rather than the
    operator having to find which half went through.
    Requires: an operator, or an institution's administrator for proposals
    addressed to their institution (any other is named among the refused);
    an active department of the proposals' institution; a reason (on each
    timeline, as typed); each proposal public, not yet with a department,
    and open or not reached (rules.hand_assignment_refusal).
    Writes: through assignment_open, for each proposal (in id order, each
    row locked), an Assignment, status ASSIGNED and the timeline row naming
    the department with the reason.
    Triggers: assignment_open's notices (the department's officials, the
    operators, the proposer and followers), once each."""
    if not rules.has_perm("answers.open_assignment", user):
        raise PermissionDenied
    if department is None:
        raise ValidationError({"department": _("Choose the department that should answer.")})
    reason = require_reason(reason)
    ids = sorted({proposal.pk for proposal in proposals})
    if not ids:
        raise ServiceError(_("Choose at least one proposal."))
    with transaction.atomic():
        locked = list(
            Proposal.objects.select_for_update(of=("self",))
            .select_related("category", "department")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        refusals = [
            (proposal, refusal)
            for proposal in locked
            if (
                refusal := answer_rules.institution_refusal(user, proposal)
                or answer_rules.hand_assignment_refusal(proposal)
                or answer_rules.department_institution_refusal(proposal, department)
            )
        ]
        if refusals:
            raise HandAssignmentRefused(refusals)
        # The department's own refusal (inactive) is the same for all: asked once.
        assignment_department(proposal=locked[0], department=department)
        return [
            assignment_open(proposal=proposal, actor=user, reason=reason, department=department)
            for proposal in locked
        ]


def assignment_reassign(*, assignment: Assignment, user, department, reason: str) -> Assignment:
    """An operator gives the proposal to another department directly (without
    a request, or settling a pending one).

    Requires: an operator, or an administrator of the proposal's institution;
    the assignment current and still waiting for its answer; another,
    active department of the proposal's institution; a reason (shown on the
    timeline).
    Writes: see `_reassign`; a pending request is marked approved.
    Triggers: notices to the new department and the proposer and followers.
    Returns the new assignment."""
    if not rules.has_perm("answers.reassign", user):
        raise PermissionDenied
    reason = require_reason(reason)
    with transaction.atomic():
        locked = locked_assignment(assignment.pk)
        require_runs(user, locked)
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
    if refusal := answer_rules.department_institution_refusal(assignment.proposal, department):
        raise ServiceError(refusal)
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
        deadline=PipelineSettings.load().answer_due(now),
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
    reason = require_reason(reason)
    if suggested_department is not None and suggested_department.pk == assignment.department_id:
        raise ValidationError(
            {"suggested_department": _("Suggest a department other than your own.")}
        )
    with transaction.atomic():
        locked = locked_assignment(assignment.pk)
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

    Requires: an operator, or an administrator of the proposal's
    institution; the request pending on a current, waiting assignment. Approving needs the department to reassign to (another,
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
        reason = require_reason(reason)
    with transaction.atomic():
        assignment = locked_assignment(request.assignment_id)
        locked = ReassignmentRequest.objects.select_for_update().get(pk=request.pk)
        locked.assignment = assignment
        require_runs(user, assignment)
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
