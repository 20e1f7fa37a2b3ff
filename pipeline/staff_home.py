"""The conductor's section of the staff home (accounts.staff_home),
registered in apps.py: proposals that passed the answer bar but could not
be given to a department (their category has no default department, or an
inactive one), which the operators must assign by hand (and a partner
institution's administrators their institution's, issue 16)."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.ownership import unowned_total
from accounts.predicates import is_institution_admin, is_operator
from accounts.roles import Role
from accounts.selectors import headless_departments
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from
from answers.services import DEPARTMENT_INACTIVE, NO_DEFAULT_DEPARTMENT
from proposals.models import PipelineSettings, Proposal, ProposalStatus

from .notices import BLOCKED_REASONS
from .services import due_filter

# Where a blocked proposal is assigned by hand (answers/hand_assignment.py).
ASSIGN_URL_NAME = "admin:proposals_proposal_assign"


def blocked_proposals():
    """Open, public proposals past the answer bar whose category names no
    active department: promote_if_due cannot assign them (and told the
    operators, and an institution's administrators of its proposals, once:
    pipeline.notices.tell_assignment_blocked)."""
    return (
        Proposal.objects.public()
        .filter(due_filter(PipelineSettings.cached()), status=ProposalStatus.OPEN)
        .filter(
            Q(category__default_department__isnull=True)
            | Q(category__default_department__is_active=False)
        )
        .select_related("category", "category__default_department")
        .order_by("created_at", "id")
    )


def _reason(proposal) -> str:
    code = (
        NO_DEFAULT_DEPARTMENT
        if proposal.category.default_department_id is None
        else DEPARTMENT_INACTIVE
    )
    return f"{proposal.category.label}: {BLOCKED_REASONS[code]}"


def blocked_section(user, now):
    """The operators': every blocked proposal; an institution's
    administrator's: their institution's, which they assign by hand on the
    same screen (answers.open_assignment asked with each proposal)."""
    if is_operator(user):
        role, blocked = HomeRole.OPERATOR, blocked_proposals()
    elif is_institution_admin(user):
        role = HomeRole.INSTITUTION
        blocked = blocked_proposals().filter(institution_id=user.institution_id)
    else:
        return None
    rows, count = section_from(
        blocked,
        lambda proposal: HomeRow(
            title=proposal.title,
            url=reverse(ASSIGN_URL_NAME, args=[proposal.pk]),
            note=_reason(proposal),
        ),
    )
    return HomeSection(
        key="pipeline.blocked",
        role=role,
        title=_("Proposals that could not be assigned"),
        empty_text=_("Every proposal past the answer bar has its department."),
        rows=rows,
        count=count,
        # The proposal list's "blocked from assignment" filter (admin.py).
        list_url=admin_url("admin:proposals_proposal_changelist", blocked="yes"),
    )


# --- ownership (issue 12): the one number, and the departments without a head ---------


def unowned_section(user, now):
    """The operator: work with neither an owner nor a named fallback, summed
    over every app's counter (accounts.ownership); it must say 0."""
    if not is_operator(user):
        return None
    total = sum(unowned_total().values())
    return HomeSection(
        key="pipeline.unowned",
        role=HomeRole.OPERATOR,
        title=_("Work without an owner"),
        empty_text=_("Every piece of open work has an official or falls to someone."),
        count=total,
        summary=gettext("Work without an owner or a fallback: %(count)d") % {"count": total},
        list_url=admin_url("admin:tracking_managementcard_dashboard"),
    )


def headless_section(user, now):
    """The operator: active departments without a usable head, those with
    no active official at all first; their work falls to the operators."""
    if not is_operator(user):
        return None
    officials = User.objects.filter(
        is_active=True, department_id=OuterRef("pk"), groups__name=Role.OFFICIAL
    )
    queryset = (
        headless_departments()
        .annotate(has_official=Exists(officials))
        .order_by("has_official", "name", "id")
    )
    rows, count = section_from(
        queryset,
        lambda department: HomeRow(
            title=department.label,
            url=reverse("admin:accounts_department_change", args=[department.pk]),
            note=gettext("No head")
            if department.has_official
            else gettext("No head, no active official"),
        ),
    )
    return HomeSection(
        key="pipeline.headless",
        role=HomeRole.OPERATOR,
        title=_("Departments without a head"),
        empty_text=_("Every department has a head."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:accounts_department_changelist", headless="yes"),
    )


# (key, builder, order) for accounts.staff_home.register_section.
SECTIONS = [
    ("pipeline.blocked", blocked_section, 10),
    ("pipeline.unowned", unowned_section, 11),
    ("pipeline.headless", headless_section, 12),
]
