"""The theme a proposal was submitted to, on the proposal's page
(templates/themes/proposal_theme.html, included with one line in
proposals/detail.html, so proposals never imports themes)."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("themes/proposal_theme_line.html")
def proposal_theme(proposal):
    """One query: the public theme of the proposal, or nothing."""
    return {"theme": selectors.theme_of_proposal(proposal.pk)}
