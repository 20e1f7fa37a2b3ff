"""What members do that the portal rewards (mileage), named once so the apps
that send `accounts.signals.participation` and mileage, which connects it,
agree on the codes. Amounts and daily caps are operator settings
(mileage.MileageRule, one row per action)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .signals import participation


class Action(models.TextChoices):
    SIGNUP = "signup", _("Signed up")
    PROPOSE = "propose", _("Made a proposal")
    COMMENT = "comment", _("Wrote a comment")
    ENDORSE = "endorse", _("Endorsed a proposal")
    ENDORSED = "endorsed", _("Received an endorsement")
    ANSWERED = "answered", _("Proposal reached a department answer")
    DEBATED = "debated", _("Proposal went to debate")
    DEBATE_ARGUMENT = "debate_argument", _("Took part in a debate")
    MEETING = "meeting", _("Proposal went to a realization meeting")
    ADOPTED = "adopted", _("Proposal adopted")
    RATE_ANSWER = "rate_answer", _("Rated a department answer")
    PANEL_RATING = "panel_rating", _("Evaluated a proposal for the citizen panel")
    # Once a poll: the first ballot (or, in a discussion poll, the first
    # argument or endorsement of one); changing a vote earns nothing more.
    POLL_VOTE = "poll_vote", _("Took part in a city poll")
    ADJUSTMENT = "adjustment", _("Adjusted by an operator")


def participated(
    *, action: str, member_id: int | None, source, proposal_id=None, undo=False, defer=False
):
    """Send the participation signal (see accounts/signals.py). A member who
    is gone (None) earns nothing."""
    if member_id is None:
        return
    participation.send(
        sender=type(source),
        action=action,
        member_id=member_id,
        source=source,
        proposal_id=proposal_id,
        undo=undo,
        defer=defer,
    )


def earner_id(user) -> int | None:
    """The id of `user` if they may still earn points, else None (so
    `participated` sends nothing): nobody (a proposal whose author is gone)
    and a member who has withdrawn earn nothing; their past entries stay."""
    if user is None or user.withdrawn_at is not None:
        return None
    return user.pk
