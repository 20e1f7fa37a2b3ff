"""This app's sections of the staff home (accounts.staff_home), registered
in apps.py: the progress reports due and the cards an official carries;
for a department head, the same for the whole department and its cards
nobody carries; for the operators, overdue reports and ownerless cards.
Rows open the card's page or the report's form, where the work is done."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import heads_own_department, is_official, is_operator
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from

from .card_flags import falls_to_text
from .models import CardStage, ManagementCard, ProgressReport, ReportStatus
from .selectors import overdue_reports


def _card_url(card_id: int) -> str:
    return reverse("admin:tracking_managementcard_change", args=[card_id])


def _report_url(report_id: int) -> str:
    return reverse("admin:tracking_progressreport_change", args=[report_id])


def _open_cards():
    return ManagementCard.objects.exclude(stage=CardStage.COMPLETED)


def _requested_reports():
    return (
        ProgressReport.objects.filter(status=ReportStatus.REQUESTED)
        .exclude(card__stage=CardStage.COMPLETED)
        .select_related("card__proposal", "card__department")
        .order_by("due_date", "id")
    )


def _report_row(report, *, with_department=False) -> HomeRow:
    note = gettext("Progress report %(period)d") % {"period": report.period}
    if with_department and report.card.department_id:
        note = f"{report.card.department.label} · {note}"
    return HomeRow(
        title=report.card.proposal.title,
        url=_report_url(report.pk),
        deadline=report.due_date,
        note=note,
    )


def _card_row(card) -> HomeRow:
    return HomeRow(
        title=card.proposal.title,
        url=_card_url(card.pk),
        deadline=card.target_date,
        note=card.get_stage_display(),
    )


def _ownerless_row(card) -> HomeRow:
    return HomeRow(
        title=card.proposal.title,
        url=_card_url(card.pk),
        deadline=card.target_date,
        note=falls_to_text(card),
    )


def _reports_section(key, role, title, empty_text, queryset, **row_kwargs) -> HomeSection:
    rows, count = section_from(queryset, lambda report: _report_row(report, **row_kwargs))
    return HomeSection(
        key=key,
        role=role,
        title=title,
        empty_text=empty_text,
        rows=rows,
        count=count,
        list_url=admin_url("admin:tracking_progressreport_changelist", status="requested"),
    )


def _cards_section(key, role, title, empty_text, queryset, row=_card_row) -> HomeSection:
    rows, count = section_from(queryset, row)
    return HomeSection(
        key=key,
        role=role,
        title=title,
        empty_text=empty_text,
        rows=rows,
        count=count,
        list_url=admin_url("admin:tracking_managementcard_changelist"),
    )


# --- the official: what they carry ---------------------------------------------------


def my_reports(user, now):
    if not is_official(user):
        return None
    return _reports_section(
        "tracking.my_reports",
        HomeRole.OFFICIAL,
        _("Progress reports due on your cards"),
        _("No progress report is due on the cards you carry."),
        # Their own department's cards only: one who moved on no longer
        # sees a card that still names them (it is ownerless there).
        _requested_reports().filter(
            card__responsible_official=user, card__department_id=user.department_id
        ),
    )


def my_cards(user, now):
    if not is_official(user):
        return None
    return _cards_section(
        "tracking.my_cards",
        HomeRole.OFFICIAL,
        _("Adopted items you carry"),
        _("You carry no adopted item."),
        _open_cards()
        .filter(responsible_official=user, department_id=user.department_id)
        .select_related("proposal")
        .order_by("target_date", "id"),
    )


# --- the department head: the whole department ------------------------------------


def department_reports(user, now):
    if not heads_own_department(user):
        return None
    return _reports_section(
        "tracking.department_reports",
        HomeRole.HEAD,
        _("Progress reports due in your department"),
        _("No progress report is due in your department."),
        _requested_reports().filter(card__department_id=user.department_id),
    )


def department_cards(user, now):
    if not heads_own_department(user):
        return None
    return _cards_section(
        "tracking.department_cards",
        HomeRole.HEAD,
        _("Adopted items of your department"),
        _("Your department keeps no open adopted item."),
        _open_cards()
        .filter(department_id=user.department_id)
        .select_related("proposal")
        .order_by("target_date", "id"),
    )


def department_ownerless_cards(user, now):
    if not heads_own_department(user):
        return None
    return _cards_section(
        "tracking.department_ownerless",
        HomeRole.HEAD,
        _("Adopted items nobody in your department carries"),
        _("Every adopted item of your department has its official."),
        # One definition with the card page and the list: no usable owner.
        ManagementCard.objects.without_usable_owner()
        .with_owner_state()
        .filter(department_id=user.department_id)
        .select_related("proposal", "department__head")
        .order_by("created_at", "id"),
        row=_ownerless_row,
    )


# --- the operator: what is late or unowned everywhere ----------------------------------


def late_reports(user, now):
    if not is_operator(user):
        return None
    return _reports_section(
        "tracking.overdue_reports",
        HomeRole.OPERATOR,
        _("Overdue progress reports"),
        _("No progress report is overdue."),
        overdue_reports(now=now)
        .select_related("card__proposal", "card__department")
        .order_by("due_date", "id"),
        with_department=True,
    )


def ownerless_cards(user, now):
    if not is_operator(user):
        return None
    return _cards_section(
        "tracking.ownerless",
        HomeRole.OPERATOR,
        _("Adopted items nobody carries"),
        _("Every adopted item has its official."),
        ManagementCard.objects.without_usable_owner()
        .with_owner_state()
        .select_related("proposal", "department__head")
        .order_by("created_at", "id"),
        row=_ownerless_row,
    )


# (key, builder, order) for accounts.staff_home.register_section.
SECTIONS = [
    ("tracking.my_reports", my_reports, 40),
    ("tracking.my_cards", my_cards, 41),
    ("tracking.department_reports", department_reports, 42),
    ("tracking.department_cards", department_cards, 43),
    ("tracking.department_ownerless", department_ownerless_cards, 44),
    ("tracking.overdue_reports", late_reports, 45),
    ("tracking.ownerless", ownerless_cards, 46),
]
