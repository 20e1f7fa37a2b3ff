"""The results part's sections of the staff home (accounts.staff_home),
registered in apps.py: for an official, their department's polls whose
voting is over and whose result still waits for the department's response;
for the operators, every department's. Each row opens the response screen."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_official, is_operator
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from

from .results import polls_awaiting_response


def _row(poll) -> HomeRow:
    return HomeRow(
        title=poll.title,
        url=admin_url("admin:polls_pollresponse_change", poll.pk),
        note=gettext("Voting ended %(date)s; respond to the result")
        % {"date": timezone.localtime(poll.ends_at).strftime("%Y-%m-%d")},
    )


def _section(user, now, *, key, role):
    rows, count = section_from(polls_awaiting_response(user, now), _row)
    return HomeSection(
        key=key,
        role=role,
        title=_("Poll results waiting for the department's response"),
        empty_text=_("No poll result is waiting for a response."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:polls_pollresponse_changelist", response="waiting"),
    )


def department_responses(user, now):
    if is_operator(user) or not is_official(user):
        return None
    return _section(user, now, key="polls.responses.department", role=HomeRole.OFFICIAL)


def all_responses(user, now):
    if not is_operator(user):
        return None
    return _section(user, now, key="polls.responses.all", role=HomeRole.OPERATOR)


# (key, builder, order) for accounts.staff_home.register_section.
SECTIONS = [
    ("polls.responses.department", department_responses, 70),
    ("polls.responses.all", all_responses, 70),
]
