"""This app's sections of the staff home (accounts.staff_home), registered
in apps.py: the department's open assignments and returned answers for its
officials; answers waiting for approval, overdue answers, reassignment and
extension requests and amendments for those who run the answers: the
operators (every proposal's, under "Operator") and a partner institution's
administrators (their institution's, under "Your institution's work", with
its proposals waiting for an answer). Every row opens the assignment's
workroom, where the work is done; every list link opens the admin list,
which is scoped the same way."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_institution_admin, is_official, is_operator
from accounts.selectors import departments_without_officials
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from
from proposals.models import ProposalStatus

from . import selectors
from .models import (
    AmendmentStatus,
    Answer,
    AnswerAmendment,
    AnswerStatus,
    Assignment,
    ExtensionStatus,
    ReassignmentRequest,
    ReassignmentStatus,
)
from .notices import workroom_url


def _due(assignment: Assignment):
    return timezone.localtime(assignment.deadline).date()


def _runner(user, prefix: str):
    """(heading, filter) of a section for those who run the answers: the
    operators' (every proposal) or an institution administrator's (their
    institution's proposals only, selectors.runs_scope); None for others."""
    scope = selectors.runs_scope(user, prefix)
    if scope is None:
        return None
    return (HomeRole.OPERATOR if is_operator(user) else HomeRole.INSTITUTION), scope


def department_assignments(user, now):
    """Official: what their department must answer, most urgent first."""
    if not is_official(user):
        return None
    queryset = (
        Assignment.objects.awaiting_answer()
        .filter(department_id=user.department_id)
        .select_related("proposal", "answer")
        .order_by("deadline", "id")
    )

    def row(assignment):
        answer = getattr(assignment, "answer", None)
        return HomeRow(
            title=assignment.proposal.title,
            url=workroom_url(assignment.pk),
            deadline=_due(assignment),
            note=answer.get_status_display() if answer else gettext("Not started"),
        )

    rows, count = section_from(queryset, row)
    return HomeSection(
        key="answers.assignments",
        role=HomeRole.OFFICIAL,
        title=_("Proposals to answer"),
        empty_text=_("No proposal waits for your department's answer."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:answers_assignment_changelist"),
    )


def returned_answers(user, now):
    """Official: answers of their department the operators sent back for
    changes (the reason is on the row), while the assignment is still open."""
    if not is_official(user):
        return None
    queryset = (
        Answer.objects.filter(
            status=AnswerStatus.DRAFT,
            returned_at__isnull=False,
            assignment__in=Assignment.objects.awaiting_answer().filter(
                department_id=user.department_id
            ),
        )
        .select_related("assignment__proposal")
        .order_by("assignment__deadline", "id")
    )

    def row(answer):
        return HomeRow(
            title=answer.assignment.proposal.title,
            url=workroom_url(answer.assignment_id),
            deadline=_due(answer.assignment),
            note=answer.return_reason,
        )

    rows, count = section_from(queryset, row)
    return HomeSection(
        key="answers.returned",
        role=HomeRole.OFFICIAL,
        title=_("Answers returned for changes"),
        empty_text=_("No answer was returned to your department."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:answers_assignment_changelist", answer=AnswerStatus.DRAFT),
    )


def answers_to_approve(user, now):
    """Those who run the answers: submitted answers waiting to be published
    or returned, the longest waiting first."""
    if (runner := _runner(user, "assignment__")) is None:
        return None
    role, scope = runner
    queryset = (
        Answer.objects.filter(
            scope,
            status=AnswerStatus.SUBMITTED,
            assignment__is_current=True,
            assignment__closed_at__isnull=True,
        )
        .select_related("assignment__proposal", "assignment__department")
        .order_by("submitted_at", "id")
    )

    def row(answer):
        return HomeRow(
            title=answer.assignment.proposal.title,
            url=workroom_url(answer.assignment_id),
            deadline=_due(answer.assignment),
            note=answer.assignment.department.label,
        )

    rows, count = section_from(queryset, row)
    return HomeSection(
        key="answers.to_approve",
        role=role,
        title=_("Answers waiting for your approval"),
        empty_text=_("No answer waits for approval."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:answers_assignment_changelist", answer=AnswerStatus.SUBMITTED),
    )


def _waiting_row(assignment) -> HomeRow:
    """An assignment still waiting for its answer: its department and how
    far the answer has come."""
    answer = getattr(assignment, "answer", None)
    status = answer.get_status_display() if answer else gettext("Not started")
    return HomeRow(
        title=assignment.proposal.title,
        url=workroom_url(assignment.pk),
        deadline=_due(assignment),
        note=f"{assignment.department.label} · {status}",
    )


def overdue_answers(user, now):
    """Those who run the answers: assignments past their deadline without a
    published answer."""
    if (runner := _runner(user, "")) is None:
        return None
    role, scope = runner
    queryset = (
        Assignment.objects.awaiting_answer()
        .filter(scope, deadline__lt=now)
        .select_related("proposal", "department", "answer")
        .order_by("deadline", "id")
    )

    rows, count = section_from(queryset, _waiting_row)
    return HomeSection(
        key="answers.overdue",
        role=role,
        title=_("Overdue answers"),
        empty_text=_("Every department is answering on time."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:answers_assignment_changelist"),
    )


def reassignment_requests(user, now):
    """Those who run the answers: departments asking to hand a proposal on,
    oldest first."""
    if (runner := _runner(user, "assignment__")) is None:
        return None
    role, scope = runner
    queryset = (
        ReassignmentRequest.objects.filter(scope, status=ReassignmentStatus.PENDING)
        .select_related("assignment__proposal", "assignment__department")
        .order_by("created_at", "id")
    )

    def row(request):
        return HomeRow(
            title=request.assignment.proposal.title,
            url=workroom_url(request.assignment_id),
            deadline=_due(request.assignment),
            note=f"{request.assignment.department.label}: {request.reason}",
        )

    rows, count = section_from(queryset, row)
    return HomeSection(
        key="answers.reassignment_requests",
        role=role,
        title=_("Reassignment requests"),
        empty_text=_("No department asks to hand a proposal on."),
        rows=rows,
        count=count,
        list_url=admin_url(
            "admin:answers_reassignmentrequest_changelist", status=ReassignmentStatus.PENDING
        ),
    )


def amendments_to_approve(user, now):
    """Those who run the answers: amendments of published answers waiting
    to be approved or returned, the longest waiting first (답변 수정 승인 대기)."""
    if (runner := _runner(user, "answer__assignment__")) is None:
        return None
    role, scope = runner
    queryset = (
        AnswerAmendment.objects.filter(scope, status=AmendmentStatus.SUBMITTED)
        .select_related("answer__assignment__proposal", "answer__assignment__department")
        .order_by("submitted_at", "id")
    )

    def row(amendment):
        assignment = amendment.answer.assignment
        return HomeRow(
            title=assignment.proposal.title,
            url=workroom_url(assignment.pk),
            deadline=None,
            note=f"{assignment.department.label}: {amendment.reason}",
        )

    rows, count = section_from(queryset, row)
    return HomeSection(
        key="answers.amendments_to_approve",
        role=role,
        title=_("Answer amendments waiting for your approval"),
        empty_text=_("No amendment of an answer waits for approval."),
        rows=rows,
        count=count,
        list_url=admin_url(
            "admin:answers_answeramendment_changelist", status=AmendmentStatus.SUBMITTED
        ),
    )


def silent_departments(user, now):
    """Operator: departments with proposals to answer and no active
    official: the assignments reached only their e-mail and the operators
    (notices.tell_assigned). Listed until the department has someone."""
    if not is_operator(user):
        return None
    waiting = Q(
        assignments__is_current=True,
        assignments__closed_at__isnull=True,
        assignments__proposal__status=ProposalStatus.ASSIGNED,
        assignments__proposal__deleted_at__isnull=True,
    )
    queryset = (
        departments_without_officials()
        .annotate(waiting=Count("assignments", filter=waiting))
        .filter(waiting__gt=0)
        .order_by("name", "id")
    )
    rows, count = section_from(
        queryset,
        lambda department: HomeRow(
            title=department.label,
            url=reverse("admin:accounts_department_change", args=[department.pk]),
            note=ngettext(
                "%(count)d proposal waits for its answer",
                "%(count)d proposals wait for their answer",
                department.waiting,
            )
            % {"count": department.waiting},
        ),
    )
    return HomeSection(
        key="answers.silent_departments",
        role=HomeRole.OPERATOR,
        title=_("A department has no official"),
        empty_text=_("Every department with proposals to answer has an official."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:accounts_staffmember_changelist"),
    )


def extension_requests(user, now):
    """Those who run the answers (연장 요청): departments asking for more
    time, oldest first; each row says how many days and why, and opens the
    workroom where the request is granted or refused."""
    if (runner := _runner(user, "assignment__")) is None:
        return None
    role, scope = runner
    queryset = (
        selectors.extensions_to_decide()
        .filter(scope)
        .select_related("assignment__proposal", "assignment__department")
        .order_by("created_at", "id")
    )

    def row(extension):
        return HomeRow(
            title=extension.assignment.proposal.title,
            url=workroom_url(extension.assignment_id),
            deadline=_due(extension.assignment),
            note=ngettext(
                "%(department)s asks for %(days)d more day: %(reason)s",
                "%(department)s asks for %(days)d more days: %(reason)s",
                extension.days_requested,
            )
            % {
                "department": extension.assignment.department.label,
                "days": extension.days_requested,
                "reason": extension.reason,
            },
        )

    rows, count = section_from(queryset, row)
    return HomeSection(
        key="answers.extension_requests",
        role=role,
        title=_("Requests for more time"),
        empty_text=_("No department asks for more time."),
        rows=rows,
        count=count,
        list_url=admin_url(
            "admin:answers_deadlineextension_changelist", status=ExtensionStatus.PENDING
        ),
    )


def institution_waiting(user, now):
    """Institution administrator: their institution's proposals a department
    of it must answer, most urgent first (the operators' home has no such
    section: the city's departments' own homes carry it)."""
    if not is_institution_admin(user):
        return None
    queryset = (
        Assignment.objects.awaiting_answer()
        .filter(proposal__institution_id=user.institution_id)
        .select_related("proposal", "department", "answer")
        .order_by("deadline", "id")
    )

    rows, count = section_from(queryset, _waiting_row)
    return HomeSection(
        key="answers.institution_waiting",
        role=HomeRole.INSTITUTION,
        title=_("Proposals waiting for your institution's answer"),
        empty_text=_("No proposal waits for an answer from your institution."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:answers_assignment_changelist"),
    )


# (key, builder, order) for accounts.staff_home.register_section.
SECTIONS = [
    ("answers.silent_departments", silent_departments, 19),
    ("answers.institution_waiting", institution_waiting, 10),
    ("answers.assignments", department_assignments, 20),
    ("answers.returned", returned_answers, 21),
    ("answers.to_approve", answers_to_approve, 22),
    ("answers.overdue", overdue_answers, 23),
    ("answers.reassignment_requests", reassignment_requests, 24),
    ("answers.amendments_to_approve", amendments_to_approve, 25),
    ("answers.extension_requests", extension_requests, 26),
]
