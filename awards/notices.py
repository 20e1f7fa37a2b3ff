"""The notices this app sends: their kinds, their words, and the functions
services call to send them. Parameters are codes, numbers and ISO dates;
notifications names them in each reader's language (notifications/messages.py)."""

from enum import StrEnum

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.messages import NoticeText, choices, dates, numbers
from notifications.models import NoticeTopic
from notifications.services import notify

from .models import MonthlyAward, ProposerReward, RewardKind


class AwardNotice(StrEnum):
    """Notification.kind of this app's notices."""

    REWARD_GIVEN = "reward_given"
    MONTHLY_AWARD_WON = "monthly_award_won"


MESSAGES = {
    # To the proposer: what they were given for their adopted proposal.
    AwardNotice.REWARD_GIVEN: NoticeText(
        _("A reward for your adopted proposal"),
        _(
            "Thank you for “%(title)s”, which the city adopted: a reward was given to you on %(given_on)s (%(kind)s, %(amount)s won). You can see it on your page."
        ),
        {"kind": choices(RewardKind), "amount": numbers, "given_on": dates},
    ),
    # To each winner: the month's 이달의 상상지기 are confirmed.
    AwardNotice.MONTHLY_AWARD_WON: NoticeText(
        _("You are an official of the month"),
        _(
            "Congratulations: for your answers and comments to citizens in %(month)s, you were chosen as an official of the month. Thank you."
        ),
    ),
}


def tell_reward_given(*, reward: ProposerReward) -> None:
    """The proposer, once per reward: what they were given and when."""
    notify(
        recipients=[reward.proposer],
        topic=NoticeTopic.PERSONAL,
        kind=AwardNotice.REWARD_GIVEN,
        key=f"reward_given:{reward.pk}",
        proposal=reward.card.proposal,
        params={
            "kind": reward.kind,
            "amount": reward.amount_won,
            "given_on": reward.given_on.isoformat(),
        },
        url=reverse("me"),
    )


def tell_award_won(*, award: MonthlyAward, winners) -> None:
    """Each winner, once per round."""
    notify(
        recipients=[candidate.official for candidate in winners],
        topic=NoticeTopic.PERSONAL,
        kind=AwardNotice.MONTHLY_AWARD_WON,
        key=f"monthly_award_won:{award.pk}",
        params={"month": award.month.strftime("%Y-%m")},
        url=reverse("awards:monthly"),
    )
