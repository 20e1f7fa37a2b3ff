"""Template tags that put this app's part of the pipeline on a proposal's page."""

from django import template

from proposals.models import ProposalStatus

from ..selectors import public_cards

register = template.Library()

# The statuses a proposal with a card can be in: a promise card opens with
# the answer and stays whatever the debate and the meetings decide after.
CARD_STATUSES = frozenset(
    {
        ProposalStatus.ANSWERED,
        ProposalStatus.DEBATE,
        ProposalStatus.REVIEW,
        ProposalStatus.ON_AGENDA,
        ProposalStatus.NOT_SELECTED,
        ProposalStatus.ADOPTED,
        ProposalStatus.NOT_ADOPTED,
        ProposalStatus.WITHDRAWN,
        # Merged after an accepting answer: its promise card stays.
        ProposalStatus.MERGED,
    }
)


@register.inclusion_tag("tracking/proposal_panel.html")
def card_panel(proposal):
    """The card's progress on its proposal's page: where it came from (the
    meeting's adoption or the department's promise), stage, percent
    complete, last report and a link to the card. One query, and only for a
    proposal that may have a card (a promise opens when the answer is
    published, so from `answered` on)."""
    card = None
    if proposal.status in CARD_STATUSES:
        card = public_cards().filter(proposal=proposal).first()
    return {"card": card}
