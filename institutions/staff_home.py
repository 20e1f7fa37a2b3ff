"""The institution administrator's sections of the staff home
(accounts.staff_home, registered in apps.py): its proposals still gathering
endorsements. Only that institution's rows (accounts.institutions), each
section a capped count and its first rows. Their answers' work (waiting,
to approve, requests) is the answers app's sections (answers/staff_home.py),
under the same heading."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_institution_admin
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from
from proposals.models import Proposal, ProposalStatus


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
    ("institutions.open_proposals", institution_open_proposals, 20),
]
