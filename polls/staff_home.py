"""This app's sections of the staff home (accounts.staff_home), registered
in apps.py. Operators: drafts waiting to be published, polls closing within
three days, closed polls whose department has not published its response.
Officials: their department's closed polls waiting for its response. Each
row opens the poll's admin page; each section costs two queries at most."""

import datetime as dt

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_operator
from accounts.staff_home import HomeRole, HomeRow, HomeSection, admin_url, section_from

from .models import Poll, PollStatus

CLOSING_SOON_DAYS = 3


def _poll_row(poll, *, note="", deadline=None, url=None) -> HomeRow:
    return HomeRow(
        title=poll.title,
        url=url or admin_url("admin:polls_poll_change", poll.pk),
        deadline=deadline,
        note=note,
    )


def drafts(user, now):
    if not is_operator(user):
        return None
    queryset = Poll.objects.filter(status=PollStatus.DRAFT).order_by("starts_at", "id")
    rows, count = section_from(
        queryset,
        lambda poll: _poll_row(
            poll,
            note=gettext("%(kind)s · opens %(date)s")
            % {"kind": poll.get_kind_display(), "date": poll.starts_at.strftime("%Y-%m-%d")},
        ),
    )
    return HomeSection(
        key="polls.drafts",
        role=HomeRole.OPERATOR,
        title=_("City polls waiting to be published"),
        empty_text=_("No draft poll is waiting."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:polls_poll_changelist", state="draft"),
    )


def closing_soon(user, now):
    if not is_operator(user):
        return None
    queryset = Poll.objects.filter(
        status=PollStatus.PUBLISHED,
        ends_at__gt=now,
        ends_at__lte=now + dt.timedelta(days=CLOSING_SOON_DAYS),
    ).order_by("ends_at", "id")
    rows, count = section_from(
        queryset,
        lambda poll: _poll_row(
            poll,
            deadline=poll.ends_at,
            note=gettext("%(voters)s voters so far") % {"voters": poll.voter_count},
        ),
    )
    return HomeSection(
        key="polls.closing",
        role=HomeRole.OPERATOR,
        title=_("City polls closing within three days"),
        empty_text=_("No poll closes within three days."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:polls_poll_changelist", state="closing"),
    )


# Closed polls waiting for the department's response are the results part's
# sections (results_staff_home.py), which open its response screen.


# (key, builder, order) for accounts.staff_home.register_section.
SECTIONS = [
    ("polls.drafts", drafts, 70),
    ("polls.closing", closing_soon, 71),
]
