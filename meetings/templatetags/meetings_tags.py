"""Template tags that put this app's part of the pipeline on a proposal's page."""

from django import template

register = template.Library()


@register.inclusion_tag("meetings/proposal_panel.html", takes_context=True)
def meeting_panel(context, proposal):
    """The meetings section of the proposal page (filled in by the app)."""
    return {"proposal": proposal, "request": context.get("request"), "user": context.get("user")}
