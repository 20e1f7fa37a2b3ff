"""Template tags that put the conductor's part on a proposal's page."""

from django import template

from proposals.models import PipelineSettings

from ..selectors import bar_progress

register = template.Library()


@register.inclusion_tag("pipeline/bar_conditions.html")
def bar_conditions(proposal):
    """While a proposal works toward the next bar (open → a department's
    answer, answered → a debate): each condition the operators set, what it
    has and what it needs, met or still missing. Nothing otherwise. The
    settings come from the cache: no query on a warm cache."""
    return {"progress": bar_progress(proposal, PipelineSettings.cached())}
