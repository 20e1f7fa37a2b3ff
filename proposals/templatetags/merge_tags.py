"""The merge box on a proposal's page (issue 16): on a merged proposal, the
proposal it joined and, for a member asked to carry their endorsement, the
one-click form; on a proposal others joined, the list of them."""

from django import template

from proposals.merging import asked_carries
from proposals.models import EventKind, Proposal, ProposalStatus

register = template.Library()


@register.inclusion_tag("proposals/merge_box.html", takes_context=True)
def merge_box(context, proposal):
    """Costs one query on a merged proposal (its target) plus one for a
    logged-in reader (their waiting request); on any other, one only when
    its timeline (already read by the page) says others were merged into it."""
    user = context.get("user")
    data = {"proposal": proposal, "csrf_token": context.get("csrf_token")}
    if proposal.status == ProposalStatus.MERGED:
        data["target"] = (
            Proposal.objects.filter(pk=proposal.merged_into_id).only("pk", "title").first()
        )
        data["carry"] = asked_carries(user, source=proposal).first()
    elif any(event.kind == EventKind.MERGED_FROM for event in context.get("timeline") or ()):
        data["merged_from"] = list(
            Proposal.objects.public()
            .filter(merged_into=proposal)
            .only("pk", "title", "merged_at")
            .order_by("merged_at", "pk")
        )
    return data
