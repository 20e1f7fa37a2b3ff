"""The notices the pipeline sends about a proposal's endorsement stage: their
kinds, their words, and the small functions that send them."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from accounts.selectors import operators
from notifications.messages import NoticeText
from notifications.services import notify, notify_proposal


class ProposalNotice(StrEnum):
    """Notification.kind of this app's notices."""

    ASSIGNMENT_BLOCKED = "assignment_blocked"
    NOT_REACHED = "not_reached"


MESSAGES = {
    ProposalNotice.ASSIGNMENT_BLOCKED: NoticeText(
        _("A proposal could not be assigned"),
        _(
            "“%(title)s” passed the answer bar but could not be assigned: %(reason)s Please assign it in the admin."
        ),
    ),
    ProposalNotice.NOT_REACHED: NoticeText(
        _("The endorsement period ended"),
        _("“%(title)s” did not reach the endorsements needed for a department answer."),
    ),
}


def tell_assignment_blocked(*, proposal, reason: str) -> None:
    """The operators: the proposal passed the answer bar but no department
    could be given it (`reason`, already written); once per proposal."""
    notify(
        recipients=operators(),
        kind=ProposalNotice.ASSIGNMENT_BLOCKED,
        key=f"assignment_blocked:{proposal.pk}",
        proposal=proposal,
        params={"reason": reason},
    )


def tell_not_reached(*, proposal) -> None:
    """The proposer and followers: the endorsement window closed below the
    answer bar; once per proposal."""
    notify_proposal(
        proposal=proposal, kind=ProposalNotice.NOT_REACHED, key=f"not_reached:{proposal.pk}"
    )
