"""Template tags that put this app's part of the pipeline on a proposal's page."""

import rules
from django import template

from ..rules import opinion_refusal
from ..selectors import proposal_meeting_state

register = template.Library()


@register.inclusion_tag("meetings/proposal_panel.html", takes_context=True)
def meeting_panel(context, proposal):
    """The meetings section of the proposal page: on which meeting's agenda
    it is (or was), each decision with its reason and conditions, or why the
    working review did not put it forward. At most one query."""
    user = context.get("user")
    state = proposal_meeting_state(proposal)
    return {
        "proposal": proposal,
        "state": state,
        "can_write_opinion": bool(
            rules.has_perm("meetings.write_opinion", user)
            and user.is_staff
            and opinion_refusal(proposal) is None
        ),
        "request": context.get("request"),
        "user": user,
    }
