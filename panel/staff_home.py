"""This app's section of the staff home (accounts.staff_home), registered
in apps.py: applications to the citizen panel waiting for an operator's
decision, the longest waiting first, each opening its admin page."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_operator
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from

from .models import ApplicationStatus, PanelApplication


def applications_waiting(user, now):
    """Operator: 상상누리단 신청 대기, the oldest application first."""
    if not is_operator(user):
        return None
    queryset = (
        PanelApplication.objects.filter(status=ApplicationStatus.PENDING)
        .select_related("member")
        .order_by("created_at", "id")
    )
    rows, count = section_from(
        queryset,
        lambda application: HomeRow(
            title=application.member.get_full_name(),
            url=admin_url("admin:panel_panelapplication_change", application.pk),
            note=gettext("Applied on %(date)s")
            % {"date": timezone.localdate(application.created_at).isoformat()},
        ),
    )
    return HomeSection(
        key="panel.applications",
        role=HomeRole.OPERATOR,
        title=_("Citizen panel applications waiting"),
        empty_text=_("No application to the citizen panel is waiting."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:panel_panelapplication_changelist"),
    )


# (key, builder, order) for accounts.staff_home.register_section.
SECTIONS = [("panel.applications", applications_waiting, 80)]
