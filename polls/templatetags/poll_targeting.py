"""Who a poll asks, and where the reader stands (polls.targeting), for the
poll's page (templates/polls/includes/eligibility.html) and the page that
asks a member for the details a poll needs."""

from django import template

from polls.targeting import Eligibility, eligibility_panel, target_summary

register = template.Library()


@register.simple_tag
def poll_target(poll):
    """`{% poll_target poll as target %}`: polls.targeting.TargetSummary."""
    return target_summary(poll)


@register.simple_tag(takes_context=True)
def poll_eligibility_panel(context, poll):
    """`{% poll_eligibility_panel poll as panel %}`: polls.targeting.eligibility_panel
    for the reader. Reuses the page's `eligibility` when it has one (the poll
    page computes it for its vote form), so the box costs no query more."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    known = context.get("eligibility")
    return eligibility_panel(
        user,
        poll,
        known=known if isinstance(known, Eligibility) else None,
        next_url=request.path if request is not None else "",
    )
