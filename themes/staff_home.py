"""This app's sections of the staff home (accounts.staff_home), registered
in apps.py: for the operators, themes closing within a week and closed
themes still without their final response; for a department's officials,
their department's closed themes waiting for its response. Rows open the
screen where the work is done (the theme's editor, the response screen)."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_official, is_operator
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from

from .notices import response_url
from .selectors import closing_soon, waiting_for_response


def _day(moment):
    return timezone.localtime(moment).date()


def _closing_row(theme) -> HomeRow:
    return HomeRow(
        title=theme.title,
        url=admin_url("admin:themes_theme_change", theme.pk),
        deadline=_day(theme.ends_at),
        note=gettext("%(count)d proposals so far") % {"count": theme.proposal_count},
    )


def _waiting_row(theme) -> HomeRow:
    return HomeRow(
        title=theme.title,
        url=response_url(theme),
        note=gettext("%(department)s · closed with %(count)d proposals")
        % {"department": theme.department.label, "count": theme.proposal_count},
    )


def operator_closing(user, now):
    if not is_operator(user):
        return None
    rows, count = section_from(closing_soon(now), _closing_row)
    return HomeSection(
        key="themes.closing",
        role=HomeRole.OPERATOR,
        title=_("Themes closing within a week"),
        empty_text=_("No theme closes within a week."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:themes_theme_changelist", status__exact="published"),
    )


def operator_unanswered(user, now):
    if not is_operator(user):
        return None
    rows, count = section_from(waiting_for_response(), _waiting_row)
    return HomeSection(
        key="themes.unanswered",
        role=HomeRole.OPERATOR,
        title=_("Closed themes without a final response"),
        empty_text=_("Every closed theme has its final response."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:themes_theme_changelist", status__exact="closed"),
    )


def department_waiting(user, now):
    if not is_official(user):
        return None
    rows, count = section_from(waiting_for_response(user.department), _waiting_row)
    return HomeSection(
        key="themes.department",
        role=HomeRole.OFFICIAL,
        title=_("Themes waiting for your department's final response"),
        empty_text=_("No theme of your department is waiting for its final response."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:themes_theme_changelist", status__exact="closed"),
    )


# (key, builder, order) for accounts.staff_home.register_section.
SECTIONS = [
    ("themes.department", department_waiting, 70),
    ("themes.closing", operator_closing, 70),
    ("themes.unanswered", operator_unanswered, 71),
]
