"""The front page's section of open city polls (proposals.front_page): at
most FRONT_POLLS of them, those closing soonest first, with their D-day and
voters. One query whatever the number of polls; the same for every reader
(the anonymous front page is cached), so it reads no member."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from proposals.front_page import FrontSection

from .models import Poll, PollStatus

KEY = "polls.open"
# After the hero and the counts, before the themes' section.
ORDER = 20
FRONT_POLLS = 3


def dday_text(ends_at, now) -> str:
    """ "D-3", or "D-day" on its last day (Seoul calendar days)."""
    days = (timezone.localtime(ends_at).date() - timezone.localtime(now).date()).days
    return gettext("D-day") if days <= 0 else gettext("D-%(days)d") % {"days": days}


def open_polls(now=None, limit: int = FRONT_POLLS):
    """Published polls taking votes now, closing soonest first."""
    now = now or timezone.now()
    return (
        Poll.objects.filter(status=PollStatus.PUBLISHED, starts_at__lte=now, ends_at__gt=now)
        .select_related("department")
        .order_by("ends_at", "id")[:limit]
    )


def open_polls_section() -> FrontSection | None:
    """The front page's open polls, or None when none is open."""
    now = timezone.now()
    polls = list(open_polls(now))
    if not polls:
        return None
    rows = [
        {
            "title": poll.title,
            "summary": poll.summary,
            "kind": poll.get_kind_display(),
            "department": poll.department.label,
            "url": poll.get_absolute_url(),
            "ends_at": poll.ends_at,
            "dday": dday_text(poll.ends_at, now),
            "voters": poll.voter_count,
            "targeted": poll.is_targeted,
        }
        for poll in polls
    ]
    return FrontSection(
        key=KEY,
        template="polls/front_section.html",
        data={"polls": rows, "list_url": reverse("polls:list")},
    )
