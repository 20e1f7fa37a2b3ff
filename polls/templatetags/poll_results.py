"""`{% poll_results_summary poll %}`: the results' summary on the poll page
(templates/polls/includes/results_summary.html includes it), as the reader
may see them now. Reads the counts kept with the votes: a fixed handful of
queries, no breakdowns (they are on the results page)."""

from django import template
from django.utils import timezone

from ..results import poll_results, results_visible

register = template.Library()


@register.inclusion_tag("polls/includes/results_summary_body.html", takes_context=True)
def poll_results_summary(context, poll):
    user = context.get("user") or getattr(context.get("request"), "user", None)
    now = timezone.now()
    shown = results_visible(poll, user, now)
    return {
        "poll": poll,
        "results": poll_results(poll, user=user, now=now, breakdowns=False, texts=False)
        if shown
        else None,
    }
