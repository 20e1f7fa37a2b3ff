"""The proposals' section of the staff home (accounts.staff_home),
registered in apps.py: for a partner institution's administrator, the
reports on their institution's proposals and comments still waiting to be
handled (issue 16: they moderate their institution's proposals as the
city's operators moderate the city's). Only that institution's reports, a
capped count and the oldest first."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_institution_admin
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from

from .models import Report


def institution_reports(user, now):
    """Reports on the institution's proposals, or on comments on them, not
    yet handled: the oldest waited longest."""
    if not is_institution_admin(user):
        return None
    own = user.institution_id
    queryset = (
        Report.objects.filter(resolved_at__isnull=True)
        .filter(
            Q(proposal__isnull=False, proposal__institution_id=own)
            | Q(comment__isnull=False, comment__proposal__institution_id=own)
        )
        .select_related("proposal", "comment__proposal")
        .order_by("created_at", "id")
    )

    def row(report):
        proposal = report.proposal if report.proposal_id else report.comment.proposal
        return HomeRow(
            title=proposal.title,
            url=reverse("admin:proposals_report_change", args=[report.pk]),
            note=report.get_reason_display(),
        )

    rows, count = section_from(queryset, row)
    return HomeSection(
        key="proposals.institution_reports",
        role=HomeRole.INSTITUTION,
        title=_("Reports on your institution's proposals"),
        empty_text=_("No report on your institution's proposals is waiting."),
        rows=rows,
        count=count,
        # The reports list opens on the waiting ones, scoped to the institution.
        list_url=admin_url("admin:proposals_report_changelist"),
    )


SECTIONS = [("proposals.institution_reports", institution_reports, 30)]
