"""Reads for the department queue, the admin lists and the proposal page.

The `*_visible_to` selectors are the list twins of `rules.can_see_assignment`:
a row is listed exactly when the rule lets the user see it (an operator sees
all; an institution's administrator all of their institution's proposals;
an official only what is currently assigned to their department)."""

from django.db.models import Q, QuerySet

from accounts.predicates import is_institution_admin, is_official, is_operator
from proposals.models import Comment

from .models import (
    OPEN_AMENDMENT_STATUSES,
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


def _assignment_scope(user, prefix: str = "") -> Q | None:
    """The filter that matches `can_see_assignment` for `user`: Q() for
    everything, None for nothing."""
    if is_operator(user):
        return Q()
    if is_official(user):
        return Q(**{f"{prefix}is_current": True, f"{prefix}department_id": user.department_id})
    if is_institution_admin(user):
        # An institution's administrator runs its proposals' answers as an
        # operator runs the city's: every assignment of them, handed-on
        # ones included (answers.rules.administers_assignment_institution).
        return Q(**{f"{prefix}proposal__institution_id": user.institution_id})
    return None


def runs_scope(user, prefix: str = "") -> Q | None:
    """The list twin of rules.runs_answer_work: the assignments (`prefix`
    leads from the listed model to its assignment) whose work `user` runs.
    Q() for an operator (everything), the proposals of their institution for
    an institution's administrator, None for anyone else."""
    if is_operator(user):
        return Q()
    if is_institution_admin(user):
        return Q(**{f"{prefix}proposal__institution_id": user.institution_id})
    return None


def assignments_visible_to(user) -> QuerySet[Assignment]:
    scope = _assignment_scope(user)
    if scope is None:
        return Assignment.objects.none()
    return Assignment.objects.filter(scope)


def assignment_queue(user) -> QuerySet[Assignment]:
    """The admin's queue: what the user may see, with what a row shows in a
    fixed number of queries, ordered by the most urgent deadline first."""
    return (
        assignments_visible_to(user)
        .select_related("proposal", "proposal__category", "department", "answer")
        .order_by("deadline", "id")
    )


def answers_visible_to(user) -> QuerySet[Answer]:
    scope = _assignment_scope(user, prefix="assignment__")
    if scope is None:
        return Answer.objects.none()
    return Answer.objects.filter(scope)


def amendments_visible_to(user) -> QuerySet[AnswerAmendment]:
    scope = _assignment_scope(user, prefix="answer__assignment__")
    if scope is None:
        return AnswerAmendment.objects.none()
    return AnswerAmendment.objects.filter(scope)


def reassignment_requests_visible_to(user) -> QuerySet[ReassignmentRequest]:
    scope = _assignment_scope(user, prefix="assignment__")
    if scope is None:
        return ReassignmentRequest.objects.none()
    return ReassignmentRequest.objects.filter(scope)


def current_assignment(proposal) -> Assignment | None:
    """The proposal's current assignment with its department, answer and
    rating (one query), or None before it was assigned."""
    return (
        Assignment.objects.current()
        .filter(proposal=proposal)
        .select_related("department", "answer", "answer__rating")
        .first()
    )


def published_answer(assignment: Assignment | None) -> Answer | None:
    answer = getattr(assignment, "answer", None) if assignment is not None else None
    return answer if answer is not None and answer.status == AnswerStatus.PUBLISHED else None


def recent_comments(proposal, limit: int = 10) -> list[Comment]:
    """The latest comments a citizen can read, oldest first, for the
    official's answer page."""
    latest = (
        proposal.comments.not_deleted()
        .filter(is_hidden=False)
        .select_related("author", "author_department")
        .order_by("-created_at", "-id")[:limit]
    )
    return list(reversed(latest))


def pending_request(assignment: Assignment) -> ReassignmentRequest | None:
    return (
        assignment.reassignment_requests.filter(status=ReassignmentStatus.PENDING)
        .select_related("requested_by", "suggested_department")
        .first()
    )


def pending_extension(assignment: Assignment) -> DeadlineExtension | None:
    return (
        assignment.extensions.filter(status=ExtensionStatus.PENDING)
        .select_related("requested_by")
        .first()
    )


def extensions_to_decide() -> QuerySet[DeadlineExtension]:
    """Pending requests an operator can still grant or refuse: on the
    proposal's current, open assignment (a reassignment or a published
    answer leaves a request behind that nobody can decide any more)."""
    return DeadlineExtension.objects.filter(
        status=ExtensionStatus.PENDING,
        assignment__is_current=True,
        assignment__closed_at__isnull=True,
        assignment__proposal__deleted_at__isnull=True,
    )


def extensions_of(assignment: Assignment) -> list[DeadlineExtension]:
    """The assignment's requests for more time, newest first (the workroom)."""
    return list(assignment.extensions.select_related("requested_by", "decided_by"))


def last_granted_extension(assignment: Assignment | None) -> DeadlineExtension | None:
    """The extension that set the assignment's deadline, for the public page.
    No query for an assignment that was never extended (most of them)."""
    if assignment is None or not assignment.extensions_granted:
        return None
    return (
        assignment.extensions.filter(status=ExtensionStatus.GRANTED)
        .order_by("-decided_at", "-id")
        .first()
    )


def extension_requests_visible_to(user) -> QuerySet[DeadlineExtension]:
    scope = _assignment_scope(user, prefix="assignment__")
    if scope is None:
        return DeadlineExtension.objects.none()
    return DeadlineExtension.objects.filter(scope)


def assignment_history(proposal) -> QuerySet[Assignment]:
    """Every department the proposal was given to, oldest first."""
    return proposal.assignments.select_related("department").order_by("assigned_at", "id")


def answer_amendments(answer: Answer) -> list[AnswerAmendment]:
    """Every amendment of `answer`, newest first, with who wrote and decided
    it (one query): the workroom's history."""
    return list(
        answer.amendments.select_related("written_by", "decided_by").order_by("-created_at", "-id")
    )


def approved_amendments(answer: Answer) -> list[AnswerAmendment]:
    """The approved amendments of `answer`, oldest first (one query): the
    public history."""
    return list(
        answer.amendments.filter(status=AmendmentStatus.APPROVED).order_by("decided_at", "id")
    )


def open_amendment(answer: Answer | None) -> AnswerAmendment | None:
    """The answer's draft or submitted amendment, if any."""
    if answer is None:
        return None
    return answer.amendments.filter(status__in=OPEN_AMENDMENT_STATUSES).first()
