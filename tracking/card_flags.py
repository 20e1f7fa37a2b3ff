"""How the tracking admin marks what needs attention: an overdue progress
report and a card nobody carries, each in colour *and* with a text label
(colour alone says nothing to a screen reader or on a grey printout).

Counted as every admin list counts a deadline (oasis.admin_utils:
days_until, dday_cell)."""

import datetime as dt

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.selectors import usable_head
from oasis.admin_utils import days_until, dday_cell

from .models import CardStage, ProgressReport, ReportStatus

# The earliest due date among the card's requested (unsubmitted) reports:
# one subquery per list, whatever the number of rows.
OPEN_REPORT_DUE = Subquery(
    ProgressReport.objects.filter(card=OuterRef("pk"), status=ReportStatus.REQUESTED)
    .order_by("due_date", "id")
    .values("due_date")[:1]
)


def flag(text: str):
    """A warning in the admin's error colour, its meaning in words."""
    return format_html('<strong class="errornote card-flag">⚠ {}</strong>', text)


def is_overdue(due_date: dt.date | None, *, stage: str, today: dt.date | None = None) -> bool:
    """A requested report is overdue once its due date has passed (it is on
    time all of the due date, Seoul time) while the card is open; the same
    rule as selectors.overdue_reports."""
    if due_date is None or stage == CardStage.COMPLETED:
        return False
    if today is not None:
        return due_date < today
    return days_until(due_date)[1]


def report_due_html(due_date: dt.date | None, *, stage: str, today: dt.date | None = None):
    """The card's open report request as a list cell or card line: flagged
    when overdue, else its due date and D-day; "—" when none is open."""
    if due_date is None or stage == CardStage.COMPLETED:
        return "—"
    days = (due_date - today).days if today else days_until(due_date)[0]
    if days < 0:
        return flag(
            gettext("Report overdue: due %(date)s, %(days)d days late")
            % {"date": due_date.isoformat(), "days": -days}
        )
    return format_html(
        "{} {}",
        gettext("Report due %(date)s") % {"date": due_date.isoformat()},
        dday_cell(due_date),
    )


class ReportFilter(admin.SimpleListFilter):
    """Cards by their progress report: overdue, requested (on time) or none
    asked. Reads the `open_report_due` annotation of the card admin."""

    title = _("progress report")
    parameter_name = "report"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("requested", _("Requested, not yet due")),
            ("none", _("None requested")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(open_report_due__lt=today).exclude(stage=CardStage.COMPLETED)
        if self.value() == "requested":
            return queryset.filter(open_report_due__gte=today)
        if self.value() == "none":
            return queryset.filter(open_report_due__isnull=True)
        return queryset


def _staff_name(user) -> str:
    # Staff know their colleagues by name, not by the masked public one.
    return user.display_name or user.get_username()


def falls_to_text(card) -> str:
    """ "Without owner — falls to <head>/the operators": the one sentence the
    card page, the card list and the staff homes say about a card nobody
    can carry (ManagementCard.objects.without_usable_owner()). Reads the
    `head_usable` annotation when the list has it (with_owner_state), so
    a list costs no query per row."""
    head_usable = getattr(card, "head_usable", None)
    head = card.department.head if card.department_id else None
    if head_usable is None:
        head = usable_head(card.department) if card.department_id else None
    elif not head_usable:
        head = None
    if head is not None:
        return gettext("Without owner — falls to %(name)s (head) until handed on") % {
            "name": _staff_name(head)
        }
    return gettext("Without owner — falls to the operators until handed on")


def owner_left_text(card) -> str:
    """Why the named official cannot carry the card any more."""
    owner = card.responsible_official
    if owner is None:
        return gettext("No responsible official")
    if not owner.is_active:
        return gettext("%(name)s (deactivated)") % {"name": _staff_name(owner)}
    if owner.department_id != card.department_id:
        return gettext("%(name)s (moved to another department)") % {"name": _staff_name(owner)}
    return gettext("%(name)s (no longer an official)") % {"name": _staff_name(owner)}
