"""Who may take part in a discussion poll (토론형), in one place.

`discussion_refusal(user, poll)` says why `user` cannot post an argument or
endorse one in `poll` now, or None. It is the discussion's "may take part":
logged in and active, the poll a published discussion poll within its
period, and the member inside the poll's target (polls.targeting). The vote
rules of the other kinds (polls/rules.py) can call it, or it can call
theirs once they exist; keep the signature.

| action                          | anonymous | member            | author | operator |
|---------------------------------|-----------|-------------------|--------|----------|
| read the arguments (not hidden) | ✓         | ✓                 | ✓      | ✓        |
| post an argument                | login     | ✓ open, in target |        |          |
| endorse / take back (공감)      | login     | ✓ open, in target | not own|          |
| hide / show again (reason)      |           |                   |        | ✓        |

Arguments are neither edited nor deleted by their authors: members endorse
what they read, and a discussion's order is its endorsements."""

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.predicates import is_active_member, is_operator

from .models import PollKind, PollStatus
from .targeting import eligibility

# The shortest argument worth endorsing ("좋아요" alone says nothing); the
# longest is the model's ARGUMENT_MAX_LENGTH.
ARGUMENT_MIN_LENGTH = 5
# An operator's reason for hiding, as PollArgument.hidden_reason holds it.
REASON_MAX_LENGTH = 300


def discussion_refusal(user, poll, now=None) -> str | None:
    """Why `user` may not post or endorse in `poll` now, else None."""
    if user is None or not user.is_authenticated:
        return _("Please log in to take part in the discussion.")
    if not user.is_active:
        return _("Your account cannot take part.")
    if poll.kind != PollKind.DISCUSSION:
        return _("This poll does not take arguments.")
    now = now or timezone.now()
    if poll.status == PollStatus.CLOSED or (
        poll.status == PollStatus.PUBLISHED and now >= poll.ends_at
    ):
        return _("This poll has closed; the discussion is over.")
    if not poll.is_open(now):
        return _("This poll is not open yet.")
    allowed = eligibility(user, poll)
    if not allowed.allowed:
        if allowed.missing:
            return _(
                "This poll asks a particular group of citizens. Please add the details it "
                "needs to your profile to take part."
            )
        return allowed.reason or _("This poll asks a particular group of citizens.")
    return None


def endorse_refusal(user, argument) -> str | None:
    """Why `user` may not endorse `argument` (beyond the poll's own rule)."""
    if argument.author_id is not None and argument.author_id == user.pk:
        return _("You cannot endorse your own argument.")
    if argument.is_hidden:
        return _("This argument was hidden by the operators and cannot be endorsed.")
    return None


@rules.predicate
def may_take_part(user, poll):
    return poll is None or discussion_refusal(user, poll) is None


@rules.predicate
def may_endorse(user, argument):
    return argument is None or endorse_refusal(user, argument) is None


rules.add_perm("polls.post_argument", is_active_member & may_take_part)
rules.add_perm("polls.endorse_argument", is_active_member & may_endorse)
# The moderation of the polls' admin (oasis.admin_utils.OperatorOnlyMixin asks
# "<app>.moderate"). Another part of polls may state the same rule; both say
# "operators", so whichever is imported first stands.
if not rules.perm_exists("polls.moderate"):
    rules.add_perm("polls.moderate", is_operator)
