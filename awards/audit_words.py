"""How this app's audit rows read (accounts/audit.py), written when the row
is read, in the reader's language, from the codes and numbers stored."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.audit import AuditAction
from notifications.messages import choices, dates

from .models import RewardKind

REWARD_RECORDED = "awards.reward_recorded"
AWARD_CONFIRMED = "awards.monthly_award_confirmed"
BEST_POLICY_MARKED = "awards.best_policy_marked"


def _reward(params: dict) -> str:
    words = (
        _("Additional reward recorded: %(kind)s, %(amount)s won, given on %(given_on)s.")
        if params.get("addition")
        else _("Reward recorded: %(kind)s, %(amount)s won, given on %(given_on)s.")
    )
    return words % {**params, "amount": f"{params['amount']:,}"}


def _confirmed(params: dict) -> str:
    return (
        ngettext(
            "Officials of the month for %(month)s confirmed: %(count)d winner.",
            "Officials of the month for %(month)s confirmed: %(count)d winners.",
            params["count"],
        )
        % params
    )


ACTIONS = {
    REWARD_RECORDED: AuditAction(
        label=gettext_lazy("Reward recorded"),
        words=_reward,
        formats={"kind": choices(RewardKind), "given_on": dates},
    ),
    AWARD_CONFIRMED: AuditAction(
        label=gettext_lazy("Officials of the month confirmed"), words=_confirmed
    ),
    BEST_POLICY_MARKED: AuditAction(
        label=gettext_lazy("Best policy marked"),
        words=gettext_lazy("Marked as a best creative policy of %(year)s (number %(position)s)."),
    ),
}
