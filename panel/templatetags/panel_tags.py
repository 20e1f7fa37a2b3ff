"""The citizen panel's box on a proposal's page (templates/panel/
proposal_panel.html includes it with one line in proposals/detail.html)."""

from django import template

from .. import rules as panel_rules
from .. import selectors
from ..forms import RatingForm

register = template.Library()


def _hundredths(score: int) -> str:
    return f"{score / 100:.2f}"


@register.inclusion_tag("panel/box.html", takes_context=True)
def panel_box(context, proposal):
    """The panel's averages per criterion (one aggregate query, none while
    nobody rated), the overall mean and how many rated; for a panel member,
    their own rating or the rating form, or why they cannot rate. At most
    three queries: the averages, the member's own rating, the refusal's
    check (the last two only for a panel member)."""
    user = context.get("user")
    averages = selectors.panel_averages(proposal)
    is_member = panel_rules.is_panel(user)
    own = selectors.rating_of(proposal, user) if is_member else None
    refusal = None
    if is_member and own is None:
        refusal = panel_rules.rating_refusal(user, proposal)
    criteria = []
    if averages:
        criteria = [
            (RatingForm.base_fields[name].label, f"{averages[name]:.1f}")
            for name in ("creativity", "public_value", "feasibility")
        ]
    return {
        "proposal": proposal,
        "user": user,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "rated_count": proposal.panel_rating_count,
        "overall": _hundredths(proposal.panel_score) if proposal.panel_rating_count else "",
        "criteria": criteria,
        "is_member": is_member,
        "own": own,
        "refusal": refusal,
        "form": RatingForm(auto_id="panel_%s")
        if is_member and own is None and not refusal
        else None,
        "rateable": panel_rules.is_rateable(proposal),
    }
