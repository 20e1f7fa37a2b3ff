"""Template tags that put this app's part of the pipeline on a proposal's page."""

from django import template

from proposals.models import ProposalStatus

from ..selectors import public_cards

register = template.Library()


@register.inclusion_tag("tracking/proposal_panel.html")
def card_panel(proposal):
    """The adopted item's progress on its proposal's page: stage, percent
    complete, last report and a link to the card. One query, and only for
    an adopted proposal."""
    card = None
    if proposal.status == ProposalStatus.ADOPTED:
        card = public_cards().filter(proposal=proposal).first()
    return {"card": card}
