"""The results part's sections of the staff home (accounts.staff_home),
registered in apps.py: for an official, their department's polls whose
voting is over and whose result still waits for the department's response;
for the operators, every department's; for a partner institution's
administrator, their institution's (issue 16). Each row opens the response
screen."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_institution_admin, is_official, is_operator
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from

from .results import polls_awaiting_response


def _row(poll) -> HomeRow:
    return HomeRow(
        title=poll.title,
        url=admin_url("admin:polls_pollresponse_change", poll.pk),
        note=gettext("Voting ended %(date)s; respond to the result")
        % {"date": timezone.localtime(poll.ends_at).strftime("%Y-%m-%d")},
    )


def _section(user, now, *, key, role, polls=None):
    polls = polls if polls is not None else polls_awaiting_response(user, now)
    rows, count = section_from(polls, _row)
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


def institution_responses(user, now):
    """Their institution's polls waiting for the response (not only those
    of a department they may also belong to)."""
    if is_operator(user) or not is_institution_admin(user):
        return None
    return _section(
        user,
        now,
        key="polls.responses.institution",
        role=HomeRole.INSTITUTION,
        polls=polls_awaiting_response(user, now).filter(institution_id=user.institution_id),
    )


# (key, builder, order) for accounts.staff_home.register_section.
SECTIONS = [
    ("polls.responses.department", department_responses, 70),
    ("polls.responses.all", all_responses, 70),
    ("polls.responses.institution", institution_responses, 62),
]
