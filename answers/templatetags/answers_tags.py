"""Template tags that put this app's part of the pipeline on a proposal's page."""

from django import template

register = template.Library()


@register.inclusion_tag("answers/proposal_panel.html", takes_context=True)
def answer_panel(context, proposal):
    """The answers section of the proposal page (filled in by the app)."""
    return {"proposal": proposal, "request": context.get("request"), "user": context.get("user")}
