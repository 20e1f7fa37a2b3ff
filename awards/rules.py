"""Who may record rewards, confirm 이달의 상상지기 and mark the year's best
policies, and when each step is refused.

| action                                       | operator | official | mayor's office | citizen |
|----------------------------------------------|----------|----------|----------------|---------|
| record a reward for an adopted proposer      | ✓        |          |                |         |
| confirm a month's 이달의 상상지기             | ✓        |          |                |         |
| mark a completed item as a best policy       | ✓        |          |                |         |
| see rewards, rounds and best policies (admin) | ✓        |          |                |         |
| read the public award pages (confirmed only) | everyone                                        |
| see a reward they received (/me/)            | the proposer it was given to                    |

The `*_refusal` functions return the (translated) reason a step is not
possible now, or None; the services raise it as a ServiceError and the
screens show it on the form."""

import datetime as dt

import rules
from django.utils.translation import gettext as _

from accounts.predicates import is_operator
from tracking.models import CardKind, CardStage

from .models import FIRST_YEAR, MAX_REWARD_WON, AwardStatus, BestPolicy, ProposerReward


def reward_refusal(
    card, *, amount_won: int, given_on: dt.date, is_addition: bool, today
) -> str | None:
    """A reward may be recorded on `card`: an adopted item (not a mere
    department promise) whose proposer is still a member; an amount between
    0 and MAX_REWARD_WON; a date not in the future; and, when the item has
    a reward already, only as an addition."""
    if card.kind != CardKind.ADOPTED:
        return _("Rewards are given for items the realization meeting adopted; this one is not.")
    author = card.proposal.author
    if author is None or author.withdrawn_at is not None:
        return _("The proposer of this item has left Oasis; the reward cannot be recorded.")
    if amount_won is None or amount_won < 0:
        return _("Please give the amount in won (0 for a reward without money).")
    if amount_won > MAX_REWARD_WON:
        return _("%(amount)s won is more than a reward can be (at most %(max)s won).") % {
            "amount": f"{amount_won:,}",
            "max": f"{MAX_REWARD_WON:,}",
        }
    if given_on is None or given_on > today:
        return _("The date the reward was given cannot be in the future.")
    has_first = ProposerReward.objects.filter(card=card, is_addition=False).exists()
    if has_first and not is_addition:
        return _("This item already has a reward. To record another one, tick “additional reward”.")
    if not has_first and is_addition:
        return _("This item has no reward yet: the first one cannot be an addition.")
    return None


def confirm_refusal(award, winners) -> str | None:
    """`award` may be confirmed with `winners` (candidates of it)."""
    if award.status == AwardStatus.CONFIRMED:
        return _(
            "The officials of the month for %(month)s are already confirmed; nothing was changed."
        ) % {"month": award.month.strftime("%Y-%m")}
    if award.status == AwardStatus.EMPTY:
        return _("Nobody answered or commented in %(month)s: there is nobody to confirm.") % {
            "month": award.month.strftime("%Y-%m")
        }
    if not winners:
        return _("Please choose at least one winner.")
    if any(candidate.award_id != award.pk for candidate in winners):
        return _("A chosen winner is not a candidate of this month.")
    return None


def best_policy_refusal(card, *, year: int, today) -> str | None:
    """`card` may be marked as one of `year`'s best creative policies: an
    adopted item, completed, public, not marked before, for a year that has
    begun."""
    if card.kind != CardKind.ADOPTED:
        return _("Only items the realization meeting adopted can be best policies.")
    if card.stage != CardStage.COMPLETED:
        return _("Only completed items can be best policies; this one is “%(stage)s”.") % {
            "stage": card.get_stage_display()
        }
    if card.proposal.deleted_at is not None or card.proposal.is_hidden:
        return _(
            "This item's proposal is hidden or deleted, so it cannot be shown as a best policy."
        )
    if year is None or year < FIRST_YEAR or year > today.year:
        return _("Please give a year between %(first)d and %(last)d.") % {
            "first": FIRST_YEAR,
            "last": today.year,
        }
    if BestPolicy.objects.filter(card=card).exists():
        return _("This item is already a best policy.")
    return None


rules.add_perm("awards.record_reward", is_operator)
rules.add_perm("awards.confirm_award", is_operator)
rules.add_perm("awards.mark_best_policy", is_operator)
