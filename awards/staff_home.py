"""This app's section of the staff home (accounts.staff_home), registered
in apps.py: for the operators, the Official of the month rounds waiting for their
confirmation, each row opening the round's confirmation screen."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_operator
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from

from .selectors import waiting_rounds


def _round_row(award) -> HomeRow:
    return HomeRow(
        title=gettext("Officials of the month: %(month)s")
        % {"month": award.month.strftime("%Y-%m")},
        url=admin_url("admin:awards_monthlyaward_change", award.pk),
        note=gettext("Choose the winners and confirm"),
    )


def waiting_awards(user, now):
    if not is_operator(user):
        return None
    rows, count = section_from(waiting_rounds(), _round_row)
    return HomeSection(
        key="awards.waiting",
        role=HomeRole.OPERATOR,
        title=_("Officials of the month waiting for confirmation"),
        empty_text=_("No officials-of-the-month round is waiting for you."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:awards_monthlyaward_changelist"),
    )


# (key, builder, order) for accounts.staff_home.register_section.
SECTIONS = [("awards.waiting", waiting_awards, 60)]
