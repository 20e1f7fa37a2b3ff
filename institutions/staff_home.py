"""The institution administrator's sections of the staff home
(accounts.staff_home, registered in apps.py): their institution's proposals
waiting for a department's answer, and its proposals still gathering
endorsements. Only that institution's rows (accounts.institutions), each
section a capped count and its first rows."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_institution_admin
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from
from answers.models import Assignment
from proposals.models import Proposal, ProposalStatus


def institution_answers(user, now):
    """Its proposals a department of the institution must answer, most
    urgent first."""
    if not is_institution_admin(user):
        return None
    queryset = (
        Assignment.objects.awaiting_answer()
        .filter(proposal__institution_id=user.institution_id)
        .select_related("proposal", "department")
        .order_by("deadline", "id")
    )

    def row(assignment):
        return HomeRow(
            title=assignment.proposal.title,
            url=reverse("admin:answers_assignment_change", args=[assignment.pk]),
            deadline=timezone.localtime(assignment.deadline).date(),
            note=assignment.department.label if assignment.department_id else "",
        )

    rows, count = section_from(queryset, row)
    return HomeSection(
        key="institutions.answers",
        role=HomeRole.INSTITUTION,
        title=_("Proposals waiting for your institution's answer"),
        empty_text=_("No proposal waits for an answer from your institution."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:answers_assignment_changelist"),
    )


def institution_open_proposals(user, now):
    """Its proposals still gathering endorsements, newest first."""
    if not is_institution_admin(user):
        return None
    queryset = (
        Proposal.objects.public()
        .filter(institution_id=user.institution_id, status=ProposalStatus.OPEN)
        .order_by("-created_at", "-id")
    )

    def row(proposal):
        return HomeRow(
            title=proposal.title,
            url=reverse("admin:proposals_proposal_change", args=[proposal.pk]),
            note=gettext("%(count)d endorsements") % {"count": proposal.endorsement_count},
        )

    rows, count = section_from(queryset, row)
    return HomeSection(
        key="institutions.open_proposals",
        role=HomeRole.INSTITUTION,
        title=_("Your institution's proposals gathering endorsements"),
        empty_text=_("No proposal to your institution is gathering endorsements."),
        rows=rows,
        count=count,
        list_url=admin_url(
            "admin:proposals_proposal_changelist", status__exact=ProposalStatus.OPEN
        ),
    )


SECTIONS = [
    ("institutions.answers", institution_answers, 10),
    ("institutions.open_proposals", institution_open_proposals, 20),
]
