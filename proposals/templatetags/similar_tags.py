"""The "similar proposals" box on a proposal's page
(templates/proposals/similar_box.html, one line in proposals/detail.html):
at most five, from the stored terms, cached per proposal
(proposals.similarity.similar_to_proposal), so most page loads cost no
query for it."""

from django import template

from ..similar_views import with_labels
from ..similarity import similar_to_proposal

register = template.Library()


@register.inclusion_tag("proposals/similar_box_inner.html")
def similar_box(proposal):
    if not proposal.is_public or not proposal.similarity_terms:
        return {"hits": []}
    return {"hits": with_labels(similar_to_proposal(proposal))}
