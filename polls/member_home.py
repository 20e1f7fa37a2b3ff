"""This app's section of a member's own page (accounts.member_home),
registered in apps.py: "투표할 수 있는 시민 의견 조사", the open polls the
member may vote in and has not voted in yet, closing soonest first. A
targeted poll whose target the member is outside is left out; one that
needs an item they have not given is listed, marked, since the poll's page
asks for it.

Three queries whatever the number of polls: the open polls without the
member's ballot (at most OPEN_POLLS_CHECKED of them, closing soonest), the
member's consent and their roles (staff accounts do not vote). The
targets are checked in Python over that bounded set."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.member_home import MemberSection
from accounts.predicates import must_use_second_factor

from .models import Ballot, Poll, PollStatus
from .targeting import eligibility, voter_groups

# The open polls read for one member's page: far more than the city runs at
# once, and a bound on the page's cost if it ever did.
OPEN_POLLS_CHECKED = 50
# The polls the section lists.
SHOWN = 5


def votable_polls(user, *, now=None, limit: int = SHOWN) -> list[dict]:
    """Up to `limit` open polls `user` may vote in and has not voted in,
    closing soonest first: each {"poll", "missing"} where `missing` names
    the profile items the poll still needs from them (else empty)."""
    now = now or timezone.now()
    candidates = (
        Poll.objects.filter(status=PollStatus.PUBLISHED, starts_at__lte=now, ends_at__gt=now)
        .exclude(Exists(Ballot.objects.filter(poll=OuterRef("pk"), member=user)))
        .only(
            "pk",
            "title",
            "kind",
            "ends_at",
            "status",
            "starts_at",
            "target_districts",
            "target_age_bands",
            "target_genders",
        )
        .order_by("ends_at", "pk")[:OPEN_POLLS_CHECKED]
    )
    groups = voter_groups(user, timezone.localdate(now))
    found = []
    for poll in candidates:
        standing = eligibility(user, poll, groups=groups)
        if standing.allowed or standing.missing:
            found.append({"poll": poll, "missing": standing.missing})
            if len(found) == limit:
                break
    return found


def votable_polls_section(user):
    if must_use_second_factor(user):
        return None  # staff accounts do not vote (polls.rules)
    polls = votable_polls(user)
    if not polls:
        return None
    return MemberSection(
        key="polls.votable",
        template="polls/member_home.html",
        data={"polls": polls, "now": timezone.now()},
    )


SECTIONS = [("polls.votable", votable_polls_section, 40)]
