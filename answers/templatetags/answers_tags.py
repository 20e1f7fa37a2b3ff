"""Template tags that put this app's part of the pipeline on a proposal's page."""

import rules
from django import template
from django.utils import timezone

from proposals.models import ProposalStatus

from .. import selectors
from ..forms import RatingForm
from ..notices import workroom_url as workroom_address
from ..timeline_texts import amendment_changes_shown

register = template.Library()


@register.inclusion_tag("answers/proposal_panel.html", takes_context=True)
def answer_panel(context, proposal):
    """The department answer section: who answers and by when while it is
    assigned; the published answer, whether it met its deadline, and the
    proposer's rating once published. Empty before the proposal is assigned.
    Once amended: the current text with the last amendment's date and reason,
    and the history of approved amendments (what each changed, from what).
    One query (the assignment with its department, answer and rating), and
    one more for the history of an amended answer, however many amendments,
    or, while it waits, for the extension of an extended deadline (shown
    with its reason)."""
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
        workroom_address(assignment.pk)
        # is_staff first: a citizen's page asks no role (no query).
        if waiting
        and getattr(user, "is_staff", False)
        and rules.has_perm("answers.see_assignment", user, assignment)
        else ""
    )
    # amended_at is set by the first approved amendment: an answer never
    # amended (most) costs no query for its history.
    amendments = (
        selectors.approved_amendments(answer)
        if answer is not None and answer.amended_at is not None
        else []
    )
    for amendment in amendments:
        amendment.shown_changes = amendment_changes_shown(amendment, amendment.previous)
    decision_changes = [a for a in amendments if a.decision_changed]
    return {
        "proposal": proposal,
        "amendments": amendments[::-1],
        "last_amendment": amendments[-1] if amendments else None,
        "decision_change": decision_changes[-1] if decision_changes else None,
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
