"""This app's sections of the staff home (accounts.staff_home), registered
in apps.py: closed debates whose results are still to write and publish,
for the city's operators (every debate) and for a partner institution's
administrators (their institution's, issue 16), who also find their
institution's open debates, which they may close early. Each row opens the
debate's admin page where that is done."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_institution_admin, is_operator
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from

from .models import Debate, DebateStatus


def _results_due():
    """Closed debates without published results, the longest waiting first."""
    return (
        Debate.objects.filter(
            status=DebateStatus.CLOSED,
            summary_published_at__isnull=True,
            proposal__deleted_at__isnull=True,
        )
        .select_related("proposal")
        .order_by("closed_at", "id")
    )


def _result_row(debate) -> HomeRow:
    return HomeRow(
        title=debate.proposal.title,
        url=reverse("admin:debates_debate_change", args=[debate.pk]),
        note=gettext("Closed on %(date)s: %(for)d for, %(against)d against")
        % {
            "date": timezone.localdate(debate.closed_at).isoformat(),
            "for": debate.for_count,
            "against": debate.against_count,
        },
    )


def results_to_write(user, now):
    """Operator: closed debates without published results, the longest
    waiting first."""
    if not is_operator(user):
        return None
    rows, count = section_from(_results_due(), _result_row)
    return HomeSection(
        key="debates.results",
        role=HomeRole.OPERATOR,
        title=_("Debate results to write"),
        empty_text=_("Every closed debate has its results published."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:debates_debate_changelist", state="due"),
    )


def institution_results_to_write(user, now):
    """Institution administrator: their institution's closed debates
    without published results, the longest waiting first. (A city's
    operator finds them in their own section, with every other.)"""
    if is_operator(user) or not is_institution_admin(user):
        return None
    queryset = _results_due().filter(proposal__institution_id=user.institution_id)
    rows, count = section_from(queryset, _result_row)
    return HomeSection(
        key="debates.institution_results",
        role=HomeRole.INSTITUTION,
        title=_("Your institution's debate results to publish"),
        empty_text=_("Every closed debate on your institution's proposals has its results."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:debates_debate_changelist", state="due"),
    )


def institution_open_debates(user, now):
    """Institution administrator: their institution's debates still open,
    the one ending soonest first (the schedule closes each at its end; they
    may close one early, with a reason, from its page)."""
    if is_operator(user) or not is_institution_admin(user):
        return None
    queryset = (
        Debate.objects.open()
        .filter(proposal__institution_id=user.institution_id, proposal__deleted_at__isnull=True)
        .select_related("proposal")
        .order_by("ends_at", "id")
    )

    def row(debate):
        return HomeRow(
            title=debate.proposal.title,
            url=reverse("admin:debates_debate_change", args=[debate.pk]),
            deadline=timezone.localtime(debate.ends_at).date(),
            note=gettext("%(for)d for, %(against)d against, %(undecided)d undecided")
            % {
                "for": debate.for_count,
                "against": debate.against_count,
                "undecided": debate.undecided_count,
            },
        )

    rows, count = section_from(queryset, row)
    return HomeSection(
        key="debates.institution_open",
        role=HomeRole.INSTITUTION,
        title=_("Your institution's open debates"),
        empty_text=_("No debate on your institution's proposals is open."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:debates_debate_changelist", state="open"),
    )


# (key, builder, order) for accounts.staff_home.register_section.
SECTIONS = [
    ("debates.results", results_to_write, 30),
    ("debates.institution_results", institution_results_to_write, 30),
    ("debates.institution_open", institution_open_debates, 31),
]
