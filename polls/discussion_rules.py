"""Who may take part in a discussion poll (토론형), in one place.

`discussion_refusal(user, poll)` says why `user` cannot post an argument or
endorse one in `poll` now, or None: the poll must be a discussion poll, and
the member may take part in it as polls.rules.participation_refusal says
(logged in and active, not a staff account, within the period, inside the
target). `endorse_refusal` adds what concerns one argument.

| action                          | anonymous | member            | author | operator |
|---------------------------------|-----------|-------------------|--------|----------|
| read the arguments (not hidden) | ✓         | ✓                 | ✓      | ✓        |
| post an argument                | login     | ✓ open, in target |        | no (staff account) |
| endorse / take back (공감)      | login     | ✓ open, in target | not own| no (staff account) |
| hide / show again (reason)      |           |                   |        | ✓ (and the administrators of the poll's institution, its polls only) |

Arguments are neither edited nor deleted by their authors: members endorse
what they read, and a discussion's order is its endorsements."""

import rules
from django.utils.translation import gettext as _

from accounts.predicates import is_active_member, runs_institution, runs_work

from .models import PollKind
from .rules import participation_refusal

# The shortest argument worth endorsing ("좋아요" alone says nothing); the
# longest is the model's ARGUMENT_MAX_LENGTH.
ARGUMENT_MIN_LENGTH = 5
# An operator's reason for hiding, as PollArgument.hidden_reason holds it.
REASON_MAX_LENGTH = 300


def discussion_refusal(user, poll, now=None) -> str | None:
    """Why `user` may not post or endorse in `poll` now, else None: the
    polls' own "may take part" (polls.rules.participation_refusal: logged
    in and active, not a staff account, within the period, inside the
    target), for a discussion poll only."""
    if poll.kind != PollKind.DISCUSSION:
        return _("This poll does not take arguments.")
    return participation_refusal(user, poll, now)


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


@rules.predicate
def moderates_argument(user, argument) -> bool:
    """`user` moderates the discussion of `argument`'s poll: the city's
    operators every poll's, an institution's administrators their own
    institution's polls' (issue 16). Without an argument (the admin's
    actions and export, oasis.admin_utils.OperatorOnlyMixin): may moderate
    some poll's discussion at all; the admin's list is scoped to theirs."""
    if argument is None:
        return runs_work(user)
    return runs_institution(user, argument.poll.institution_id)


# The moderation of the polls' admin (OperatorOnlyMixin asks "<app>.moderate";
# polls.services.discussion asks it with the argument, under the poll's lock).
rules.add_perm("polls.moderate", moderates_argument)
