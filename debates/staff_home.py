"""This app's section of the staff home (accounts.staff_home), registered
in apps.py: closed debates whose results the operators have still to write
and publish, each opening the debate's admin page where that is done."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_operator
from accounts.staff_home import HomeRole, HomeRow, HomeSection, section_from

from .models import Debate, DebateStatus


def results_to_write(user, now):
    """Operator: closed debates without published results, the longest
    waiting first."""
    if not is_operator(user):
        return None
    queryset = (
        Debate.objects.filter(
            status=DebateStatus.CLOSED,
            summary_published_at__isnull=True,
            proposal__deleted_at__isnull=True,
        )
        .select_related("proposal")
        .order_by("closed_at", "id")
    )
    rows, count = section_from(
        queryset,
        lambda debate: HomeRow(
            title=debate.proposal.title,
            url=reverse("admin:debates_debate_change", args=[debate.pk]),
            note=gettext("Closed on %(date)s: %(for)d for, %(against)d against")
            % {
                "date": timezone.localdate(debate.closed_at).isoformat(),
                "for": debate.for_count,
                "against": debate.against_count,
            },
        ),
    )
    return HomeSection(
        key="debates.results",
        role=HomeRole.OPERATOR,
        title=_("Debate results to write"),
        empty_text=_("Every closed debate has its results published."),
        rows=rows,
        count=count,
        list_url=reverse("admin:debates_debate_changelist") + "?results=due",
    )


# (key, builder, order) for accounts.staff_home.register_section.
SECTIONS = [("debates.results", results_to_write, 30)]
