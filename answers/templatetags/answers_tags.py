"""Template tags that put this app's part of the pipeline on a proposal's page."""

import rules
from django import template
from django.urls import reverse
from django.utils import timezone

from proposals.models import ProposalStatus

from .. import selectors
from ..forms import RatingForm

register = template.Library()


@register.inclusion_tag("answers/proposal_panel.html", takes_context=True)
def answer_panel(context, proposal):
    """The department answer section: who answers and by when while it is
    assigned; the published answer, whether it met its deadline, and the
    proposer's rating once published. Empty before the proposal is assigned.
    One query: the assignment with its department, answer and rating; one
    more, while it waits, for an assignment whose deadline was extended
    (the extension and its reason are shown)."""
    user = context.get("user")
    # Assigning sets the proposal's department, so without one there is no
    # assignment to look up (most proposals): no query at all.
    assignment = selectors.current_assignment(proposal) if proposal.department_id else None
    if assignment is not None:
        assignment.proposal = proposal  # the page's own object: no second query
    answer = selectors.published_answer(assignment)
    now = timezone.now()
    days_left = assignment.days_left(now) if assignment is not None else None
    overdue = assignment is not None and assignment.is_overdue(now)
    can_rate = bool(
        answer is not None
        and user is not None
        and rules.has_perm("answers.rate_answer", user, answer)
    )
    waiting = (
        assignment is not None
        and answer is None
        and assignment.is_open
        and proposal.status == ProposalStatus.ASSIGNED
    )
    extension = selectors.last_granted_extension(assignment) if waiting else None
    # The way from the public page to the workroom, for those who work
    # there: the assigned department's officials and the operators.
    workroom_url = (
        reverse("admin:answers_assignment_change", args=[assignment.pk])
        # is_staff first: a citizen's page asks no role (no query).
        if waiting
        and getattr(user, "is_staff", False)
        and rules.has_perm("answers.see_assignment", user, assignment)
        else ""
    )
    return {
        "proposal": proposal,
        "assignment": assignment,
        "answer": answer,
        "rating": getattr(answer, "rating", None) if answer is not None else None,
        "waiting": waiting,
        "extension": extension,
        "workroom_url": workroom_url,
        "days_left": days_left,
        "days_overdue": -days_left if overdue else 0,
        "overdue": overdue,
        "can_rate": can_rate,
        "rating_form": RatingForm(auto_id="rating-%s") if can_rate else None,
        "request": context.get("request"),
        "user": user,
    }
