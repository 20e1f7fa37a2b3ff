"""Who may do what with assignments, answers and reassignment requests.

Each state rule is a `*_refusal` function that returns the reason (translated)
why the step is not possible now, or None; services raise it as a
ServiceError. Who may act is a predicate; the django-rules permissions at the
bottom combine both, and the admin and pages ask them to decide which
buttons to show. Asked with an object, a permission says whether this user
may take the step on it now; asked without one, whether they may take it
at all: the services ask that (or the "who" predicate, where who depends on
the object), then raise the state rule's own reason under their lock.
`selectors.assignments_visible_to` is the list twin of `can_see_assignment`
(`answers.see_assignment`): an assignment is listed exactly when it may be seen."""

import rules
from django.utils.translation import gettext as _

from accounts.predicates import (
    is_institution_admin,
    is_official,
    is_operator,
    runs_institution,
    runs_work,
)
from proposals.models import ProposalStatus

from .models import (
    AMENDMENT_TRANSITIONS,
    ANSWER_TRANSITIONS,
    AmendmentStatus,
    Answer,
    AnswerAmendment,
    AnswerStatus,
    Assignment,
    DeadlineExtension,
    ExtensionStatus,
    ReassignmentRequest,
    ReassignmentStatus,
)

# --- who ----------------------------------------------------------------------


@rules.predicate
def is_assigned_official(user, assignment):
    """An official of the department the proposal is (currently) assigned to.
    A department that handed a proposal on no longer sees it."""
    return (
        assignment is not None
        and is_official(user)
        and assignment.is_current
        and user.department_id == assignment.department_id
    )


@rules.predicate
def administers_assignment_institution(user, assignment):
    """An administrator of the partner institution the proposal is
    addressed to (issue 16): runs its answers as the city's operators run
    the city's, so sees every assignment of it, handed-on ones included."""
    return (
        assignment is not None
        and is_institution_admin(user)
        and assignment.proposal.institution_id == user.institution_id
    )


can_see_assignment = is_operator | is_assigned_official | administers_assignment_institution


def work_proposal(obj):
    """The proposal a piece of the answers' work is about: `obj` is a
    Proposal (to assign), an Assignment, an Answer, a ReassignmentRequest,
    a DeadlineExtension or an AnswerAmendment."""
    if isinstance(obj, AnswerAmendment):
        obj = obj.answer
    if isinstance(obj, (Answer, ReassignmentRequest, DeadlineExtension)):
        obj = obj.assignment
    if isinstance(obj, Assignment):
        return obj.proposal
    return obj


@rules.predicate
def runs_answer_work(user, obj):
    """Who runs the answers' work (assigning, reassigning, deciding
    requests, reviewing answers and amendments): asked with a piece of it
    (work_proposal), the city's operators and the administrators of the
    institution its proposal is addressed to (issue 16); asked without
    one, whether the user runs some of it at all."""
    if obj is None:
        return runs_work(user)
    return runs_institution(user, work_proposal(obj).institution_id)


def institution_refusal(user, obj) -> str | None:
    """Why `user`, who runs some work (runs_work), may not run this piece
    of it: its proposal is addressed to the city, or to another institution
    than theirs. None when they may. The services ask it under their lock."""
    if runs_answer_work(user, obj):
        return None
    if work_proposal(obj).institution_id is None:
        return _(
            "This proposal is addressed to the city: only the city's operators handle its "
            "answer. Nothing has been changed."
        )
    return _(
        "This proposal is addressed to another institution: only its administrators handle "
        "its answer. Nothing has been changed."
    )


@rules.predicate
def is_proposer(user, answer):
    proposal = answer.assignment.proposal if answer is not None else None
    return (
        proposal is not None
        and user.is_authenticated
        and proposal.author_id is not None
        and proposal.author_id == user.pk
    )


# --- when ---------------------------------------------------------------------

# What an operator may assign by hand: what the pipeline itself could give to
# a department (PROPOSAL_TRANSITIONS leads these to ASSIGNED).
ASSIGNABLE_BY_HAND = frozenset({ProposalStatus.OPEN, ProposalStatus.NOT_REACHED})


def hand_assignment_refusal(proposal) -> str | None:
    """Why an operator cannot give `proposal` to a department now, or None."""
    if not proposal.is_public:
        return _("It is hidden or in the trash.")
    if proposal.status == ProposalStatus.ASSIGNED or proposal.department_id is not None:
        department = proposal.department
        return _(
            "It is already with %(department)s; to move it, reassign it from its workroom."
        ) % {"department": department.label if department else "—"}
    if proposal.status not in ASSIGNABLE_BY_HAND:
        return _(
            "It is “%(status)s”: only a proposal gathering endorsements, or one that did "
            "not reach the bar, can be assigned."
        ) % {"status": ProposalStatus(proposal.status).label}
    return None


def _answer_move_refusal(answer, to_status) -> str | None:
    if to_status not in ANSWER_TRANSITIONS[answer.status]:
        return _("An answer that is “%(from)s” cannot become “%(to)s”.") % {
            "from": AnswerStatus(answer.status).label,
            "to": AnswerStatus(to_status).label,
        }
    return None


def assignment_open_refusal(assignment) -> str | None:
    """The department can still work on the answer."""
    if not assignment.is_current:
        return _("This proposal has been reassigned to another department.")
    if assignment.closed_at is not None:
        return _("This proposal has already been answered.")
    proposal = assignment.proposal
    if proposal.status != ProposalStatus.ASSIGNED or proposal.deleted_at is not None:
        return _("This proposal no longer waits for an answer (it is “%(status)s”).") % {
            "status": ProposalStatus(proposal.status).label
        }
    return None


def answer_edit_refusal(assignment, answer=None) -> str | None:
    if refusal := assignment_open_refusal(assignment):
        return refusal
    if answer is not None and answer.status != AnswerStatus.DRAFT:
        return _("The answer was submitted for approval and can no longer be changed.")
    return None


def answer_submit_refusal(answer) -> str | None:
    if refusal := assignment_open_refusal(answer.assignment):
        return refusal
    if refusal := _answer_move_refusal(answer, AnswerStatus.SUBMITTED):
        return refusal
    if answer.assignment.reassignment_requests.filter(status=ReassignmentStatus.PENDING).exists():
        return _(
            "Your department asked to have this proposal reassigned. Wait for the "
            "operators' decision before submitting an answer."
        )
    return None


def answer_review_refusal(answer, to_status) -> str | None:
    """Publishing (to_status=PUBLISHED) or returning (DRAFT) a submitted answer."""
    if refusal := _answer_move_refusal(answer, to_status):
        return refusal
    return assignment_open_refusal(answer.assignment)


def department_institution_refusal(proposal, department) -> str | None:
    """Why `department` may not answer `proposal`, for want of belonging to
    the institution the proposal is addressed to (issue 16): a proposal to a
    partner institution is answered by one of that institution's
    departments, a city proposal by one of the city's. None when it may."""
    if department is None or department.institution_id == proposal.institution_id:
        return None
    if proposal.institution_id is None:
        return _(
            "%(department)s is a partner institution's department; a proposal to the city "
            "is answered by a department of the city."
        ) % {"department": department.label}
    return _(
        "%(department)s is not a department of the institution this proposal is "
        "addressed to; choose one of its departments."
    ) % {"department": department.label}


def reassignment_request_refusal(assignment) -> str | None:
    if refusal := assignment_open_refusal(assignment):
        return refusal
    answer = getattr(assignment, "answer", None)
    if answer is not None and answer.status != AnswerStatus.DRAFT:
        return _("The answer was already submitted; ask the operators to return it first.")
    if assignment.reassignment_requests.filter(status=ReassignmentStatus.PENDING).exists():
        return _("A reassignment request for this proposal is already waiting for a decision.")
    return None


def reassignment_decide_refusal(request) -> str | None:
    if request.status != ReassignmentStatus.PENDING:
        return _("This reassignment request has already been decided.")
    return assignment_open_refusal(request.assignment)


def extension_request_refusal(assignment) -> str | None:
    """The department may ask for more days while it still writes the answer
    (not once it is with the operators), one request at a time."""
    if refusal := assignment_open_refusal(assignment):
        return refusal
    answer = getattr(assignment, "answer", None)
    if answer is not None and answer.status != AnswerStatus.DRAFT:
        return _("The answer was already submitted; it needs no more time.")
    if assignment.extensions.filter(status=ExtensionStatus.PENDING).exists():
        return _("A request for more time is already waiting for a decision.")
    return None


def extension_decide_refusal(extension, user=None) -> str | None:
    if extension.status != ExtensionStatus.PENDING:
        return _("This request for more time has already been decided.")
    # Roles combine (an official may also be an operator): the one who asked
    # does not decide their own request; another operator does.
    if user is not None and extension.requested_by_id == user.pk:
        return _("You asked for this time yourself; another operator decides it.")
    return assignment_open_refusal(extension.assignment)


def answer_rate_refusal(answer) -> str | None:
    if answer.status != AnswerStatus.PUBLISHED:
        return _("Only a published answer can be rated.")
    if hasattr(answer, "rating"):
        return _("You have already rated this answer.")
    return None


def answer_amendable_refusal(answer) -> str | None:
    """Whether the answer can be amended at all (published, proposal not
    in the trash)."""
    if answer.status != AnswerStatus.PUBLISHED:
        return _("Only a published answer can be amended.")
    if answer.assignment.proposal.deleted_at is not None:
        return _("The proposal is in the trash.")
    return None


def amendment_write_refusal(answer, open_amendment=None) -> str | None:
    """Writing an amendment: `open_amendment` is the answer's draft or
    submitted one, if any (a draft is changed, a submitted one blocks)."""
    if refusal := answer_amendable_refusal(answer):
        return refusal
    if open_amendment is not None and open_amendment.status != AmendmentStatus.DRAFT:
        return _(
            "An amendment of this answer already waits for the operators' approval; "
            "wait for their decision before writing another."
        )
    return None


def _amendment_move_refusal(amendment, to_status) -> str | None:
    if to_status not in AMENDMENT_TRANSITIONS[amendment.status]:
        return _("An amendment that is “%(from)s” cannot become “%(to)s”.") % {
            "from": AmendmentStatus(amendment.status).label,
            "to": AmendmentStatus(to_status).label,
        }
    return None


def amendment_submit_refusal(amendment) -> str | None:
    if refusal := answer_amendable_refusal(amendment.answer):
        return refusal
    return _amendment_move_refusal(amendment, AmendmentStatus.SUBMITTED)


def amendment_review_refusal(amendment, to_status, user=None) -> str | None:
    """Approving (to_status=APPROVED) or returning (RETURNED) a submitted one,
    by `user` when given: not the one who wrote it (roles combine, and an
    approval is a second pair of eyes)."""
    if refusal := _amendment_move_refusal(amendment, to_status):
        return refusal
    if user is not None and amendment.written_by_id == user.pk:
        return _("You wrote this amendment yourself; another operator reviews it.")
    if to_status == AmendmentStatus.APPROVED:
        return answer_amendable_refusal(amendment.answer)
    return None


# --- permissions -----------------------------------------------------------------


@rules.predicate
def answer_is_editable(user, assignment):
    answer = getattr(assignment, "answer", None) if assignment is not None else None
    return assignment is not None and answer_edit_refusal(assignment, answer) is None


@rules.predicate
def answer_is_reviewable(user, answer):
    return answer is None or answer_review_refusal(answer, AnswerStatus.PUBLISHED) is None


@rules.predicate
def reassignment_is_requestable(user, assignment):
    return assignment is not None and reassignment_request_refusal(assignment) is None


@rules.predicate
def reassignment_is_pending(user, request):
    return request is None or reassignment_decide_refusal(request) is None


@rules.predicate
def assignment_is_reassignable(user, assignment):
    return assignment is None or assignment_open_refusal(assignment) is None


@rules.predicate
def extension_is_requestable(user, assignment):
    return assignment is not None and extension_request_refusal(assignment) is None


@rules.predicate
def extension_is_pending(user, extension):
    return extension is None or extension_decide_refusal(extension, user) is None


@rules.predicate
def answer_is_rateable(user, answer):
    return answer is not None and answer_rate_refusal(answer) is None


@rules.predicate
def is_answer_official(user, answer):
    """An official of the department whose (current) assignment the answer is."""
    return answer is not None and is_assigned_official(user, answer.assignment)


@rules.predicate
def answer_is_amendable(user, answer):
    return answer is not None and answer_amendable_refusal(answer) is None


@rules.predicate
def amendment_is_reviewable(user, amendment):
    return (
        amendment is None
        or amendment_review_refusal(amendment, AmendmentStatus.APPROVED, user) is None
    )


# Operators run every proposal's answers, an institution's administrators
# their institution's (runs_answer_work: asked with the proposal, the
# assignment, the answer, the request or the amendment).
rules.add_perm("answers.open_assignment", runs_answer_work)
rules.add_perm("answers.see_assignment", can_see_assignment)
rules.add_perm("answers.write_answer", is_assigned_official & answer_is_editable)
rules.add_perm("answers.review_answer", runs_answer_work & answer_is_reviewable)
rules.add_perm("answers.request_reassignment", is_assigned_official & reassignment_is_requestable)
rules.add_perm("answers.decide_reassignment", runs_answer_work & reassignment_is_pending)
rules.add_perm("answers.reassign", runs_answer_work & assignment_is_reassignable)
rules.add_perm("answers.rate_answer", is_proposer & answer_is_rateable)
rules.add_perm("answers.request_extension", is_assigned_official & extension_is_requestable)
rules.add_perm("answers.decide_extension", runs_answer_work & extension_is_pending)
rules.add_perm("answers.amend_answer", is_answer_official & answer_is_amendable)
rules.add_perm("answers.review_amendment", runs_answer_work & amendment_is_reviewable)
# Operators oversee every department's answers, an institution's
# administrators their institution's departments': the queue's department
# filter and handed-on assignments, and the bulk actions of the admin lists
# (publish, return, decide reassignment requests). Asked without a row: the
# lists themselves are scoped (selectors, InstitutionScopedAdminMixin) and
# each row is still checked, with its object, by its service.
rules.add_perm("answers.oversee_answers", runs_work)
