"""This app's sections of the staff home (accounts.staff_home), registered
in apps.py. Operators: drafts waiting to be published, polls closing within
three days, closed polls whose department has not published its response.
Officials: their department's closed polls waiting for its response. A
partner institution's administrators (issue 16): their institution's drafts
and its polls taking votes. Each row opens the poll's admin page; each
section costs two queries at most."""

import datetime as dt

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.predicates import is_institution_admin, is_operator
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


def _draft_rows(queryset):
    return section_from(
        queryset.order_by("starts_at", "id"),
        lambda poll: _poll_row(
            poll,
            note=gettext("%(kind)s · opens %(date)s")
            % {"kind": poll.get_kind_display(), "date": poll.starts_at.strftime("%Y-%m-%d")},
        ),
    )


def drafts(user, now):
    if not is_operator(user):
        return None
    rows, count = _draft_rows(Poll.objects.filter(status=PollStatus.DRAFT))
    return HomeSection(
        key="polls.drafts",
        role=HomeRole.OPERATOR,
        title=_("City polls waiting to be published"),
        empty_text=_("No draft poll is waiting."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:polls_poll_changelist", state="draft"),
    )


def _runs_only_an_institution(user) -> bool:
    # The city's operators see every poll in their own sections already.
    return is_institution_admin(user) and not is_operator(user)


def institution_drafts(user, now):
    """Their institution's drafts, the soonest to open first."""
    if not _runs_only_an_institution(user):
        return None
    rows, count = _draft_rows(
        Poll.objects.filter(status=PollStatus.DRAFT, institution_id=user.institution_id)
    )
    return HomeSection(
        key="polls.institution.drafts",
        role=HomeRole.INSTITUTION,
        title=_("Your institution's polls waiting to be published"),
        empty_text=_("No draft poll of your institution is waiting."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:polls_poll_changelist", state="draft"),
    )


def _voting_row(poll) -> HomeRow:
    """A poll taking votes: when it closes and its voters so far."""
    return _poll_row(
        poll,
        deadline=poll.ends_at,
        note=gettext("%(voters)s voters so far") % {"voters": poll.voter_count},
    )


def institution_open(user, now):
    """Their institution's polls taking votes (or about to), the soonest to
    close first, with their voters so far."""
    if not _runs_only_an_institution(user):
        return None
    queryset = Poll.objects.filter(
        status=PollStatus.PUBLISHED, ends_at__gt=now, institution_id=user.institution_id
    ).order_by("ends_at", "id")
    rows, count = section_from(queryset, _voting_row)
    return HomeSection(
        key="polls.institution.open",
        role=HomeRole.INSTITUTION,
        title=_("Your institution's polls taking votes"),
        empty_text=_("No poll of your institution is taking votes."),
        rows=rows,
        count=count,
        list_url=admin_url("admin:polls_poll_changelist", state="open"),
    )


def closing_soon(user, now):
    if not is_operator(user):
        return None
    queryset = Poll.objects.filter(
        status=PollStatus.PUBLISHED,
        ends_at__gt=now,
        ends_at__lte=now + dt.timedelta(days=CLOSING_SOON_DAYS),
    ).order_by("ends_at", "id")
    rows, count = section_from(queryset, _voting_row)
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
    ("polls.institution.drafts", institution_drafts, 60),
    ("polls.institution.open", institution_open, 61),
]
