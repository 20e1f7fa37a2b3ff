"""Who may vote in a city poll, and when, in one place.

Each rule is a `*_refusal` function returning the reason (translated, safe
to show) why the member cannot act now, or None. The vote service asks it
again under the poll's row lock; the poll page asks it to choose between
the vote form and the reason.

| action                               | anonymous | citizen          | staff account |
|--------------------------------------|-----------|------------------|---------------|
| read a published or closed poll      | ✓         | ✓                | ✓             |
| vote (yes/no, multiple choice, survey)| login    | ✓ open, in target| no            |
| change one's vote                    |           | ✓ if the poll allows it, while open | |
| take part in a discussion poll       | login     | ✓ open, in target (polldiscuss) | no |

Staff accounts (officials, operators, experts, the mayor's office: anyone
who signs in with a second factor) do not vote: a poll asks the citizens,
and the department that asks must not weigh on its own result. An official
who is also a Seoul citizen votes with their personal account, like
everyone else. A draft poll is not public at all (the pages answer 404);
its staff preview is the admin's."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.predicates import is_active_member, must_use_second_factor

from .models import Ballot, Poll, PollKind, PollStatus
from .targeting import eligibility

# Kinds voted through the vote form (polls.services.votes); a discussion
# poll is answered with arguments (polls.services.discussion).
VOTED_KINDS = frozenset({PollKind.YES_NO, PollKind.CHOICE, PollKind.SURVEY})


# The statuses anyone may read a poll in (never a draft).
PUBLIC_STATUSES = (PollStatus.PUBLISHED, PollStatus.CLOSED)


def is_public(poll: Poll) -> bool:
    """Anyone may read the poll's page (published or closed, never a draft)."""
    return poll.status in PUBLIC_STATUSES


def has_closed(poll: Poll, now=None) -> bool:
    """Voting is over: closed by the beat or an operator, or past its end
    before the beat has come by (the beat may be minutes late)."""
    now = now or timezone.now()
    return poll.status == PollStatus.CLOSED or (
        poll.status == PollStatus.PUBLISHED and now >= poll.ends_at
    )


def has_not_opened(poll: Poll, now=None) -> bool:
    """Published, but its period has not begun."""
    now = now or timezone.now()
    return poll.status == PollStatus.PUBLISHED and now < poll.starts_at


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def period_refusal(poll: Poll, now=None) -> str | None:
    """Why the poll takes no part now (draft, not yet open, closed), or None."""
    now = now or timezone.now()
    if not is_public(poll):
        return _("This poll is not open.")
    if has_not_opened(poll, now):
        return _("This poll opens on %(moment)s.") % {"moment": _when(poll.starts_at)}
    if has_closed(poll, now):
        return _("This poll closed on %(moment)s. Votes are no longer taken.") % {
            "moment": _when(poll.closed_at or poll.ends_at)
        }
    return None


def participation_refusal(user, poll: Poll, now=None) -> str | None:
    """Why `user` may not take part in `poll` now, whatever its kind: not
    logged in, a staff account, outside the poll's period, outside its
    target. None when they may (a discussion poll's services ask this one;
    voting asks vote_refusal, which adds the ballot already cast)."""
    if not is_active_member(user):
        return _("Please log in to take part in this poll.")
    if must_use_second_factor(user):
        return _(
            "Staff accounts do not vote in city polls: the city asks its citizens. "
            "Please take part with your personal citizen account."
        )
    refusal = period_refusal(poll, now)
    if refusal:
        return refusal
    return target_refusal(user, poll, now)


def target_refusal(user, poll: Poll, now=None) -> str | None:
    """Why `user` is outside the poll's target (or lacks the data it needs),
    or None. polls.targeting decides; this only words the missing case."""
    now = now or timezone.now()
    found = eligibility(user, poll, timezone.localdate(now))
    if found.allowed:
        return None
    if found.missing:
        return _(
            "This poll asks a particular group of citizens. To vote, please tell us "
            "the details it needs about you first."
        )
    return found.reason or _("This poll asks a particular group of citizens.")


def vote_refusal(user, poll: Poll, now=None) -> str | None:
    """Why `user` may not vote (or vote again) in `poll` now, or None. One
    query for the ballot; voting again means changing one's vote, which
    only a poll that allows it accepts, only while it is open."""
    refusal = participation_refusal(user, poll, now)
    if refusal:
        return refusal
    if poll.kind not in VOTED_KINDS:
        return _("In a discussion poll you take part with arguments and endorsements.")
    if not poll.allow_vote_change and has_voted(user, poll):
        return already_voted()
    return None


def already_voted() -> str:
    """Also the answer to the race the ballot's unique constraint catches."""
    return _("You have already voted in this poll. This poll does not allow changing a vote.")


def has_voted(user, poll: Poll) -> bool:
    return bool(
        user and user.is_authenticated and Ballot.objects.filter(poll=poll, member=user).exists()
    )


def can_change_vote(user, poll: Poll, now=None) -> bool:
    """`user` has voted and may still change their vote."""
    return (
        poll.allow_vote_change
        and poll.kind in VOTED_KINDS
        and participation_refusal(user, poll, now) is None
        and has_voted(user, poll)
    )
