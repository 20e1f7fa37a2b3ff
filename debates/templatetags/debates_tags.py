"""Template tags that put the debate on a proposal's page."""

import rules
from django import template

from .. import rules as debate_rules
from .. import selectors
from ..forms import DRAFT_SESSION_KEY, ArgumentForm, StanceForm
from ..models import Position, Side

register = template.Library()


def stance_shares(debate) -> list[dict]:
    """Each position with its exact count and its share of all stances, in
    whole percent (for the bar; the numbers are always shown too)."""
    total = debate.stance_total
    counts = {
        Position.FOR: debate.for_count,
        Position.AGAINST: debate.against_count,
        Position.UNDECIDED: debate.undecided_count,
    }
    return [
        {
            "position": position.value,
            "label": position.label,
            "count": count,
            "percent": round(100 * count / total) if total else 0,
        }
        for position, count in counts.items()
    ]


@register.simple_tag
def debate_shares(debate):
    """`{% debate_shares debate as shares %}` for lists."""
    return stance_shares(debate)


@register.inclusion_tag("debates/proposal_panel.html", takes_context=True)
def debate_panel(context, proposal):
    """The debate section of the proposal page: dates, stance counts, the
    member's stance form, both sides' arguments, the argument form and the
    published results. Nothing when the proposal has had no debate."""
    request = context.get("request")
    user = context.get("user")
    debate = selectors.debate_for_proposal(proposal)
    if debate is None:
        return {"debate": None}
    debate.proposal = proposal  # already loaded by the page
    arguments = list(selectors.debate_arguments(debate))
    stance = selectors.stance_of(debate, user) if user is not None else ""

    argument_form = ArgumentForm(auto_id="argument_%s")
    session = getattr(request, "session", None)
    draft = session.get(DRAFT_SESSION_KEY) if session is not None else None
    if draft and draft.get("debate") == debate.pk:
        # A refused argument comes back to its author as written.
        argument_form = ArgumentForm(
            auto_id="argument_%s",
            initial={
                "side": draft.get("side"),
                "body": draft.get("body"),
                "submission_token": draft.get("submission_token")
                or argument_form.initial["submission_token"],
            },
        )
        session.pop(DRAFT_SESSION_KEY, None)

    return {
        "debate": debate,
        "proposal": proposal,
        "request": request,
        "user": user,
        "shares": stance_shares(debate),
        "stance": stance,
        "stance_label": Position(stance).label if stance else "",
        "stance_form": StanceForm(
            auto_id="stance_%s", initial={"position": stance} if stance else None
        ),
        "argument_form": argument_form,
        "for_arguments": [a for a in arguments if a.side == Side.FOR],
        "against_arguments": [a for a in arguments if a.side == Side.AGAINST],
        "can_take_part": user is not None and rules.has_perm("debates.take_stance", user, debate),
        "refusal": debate_rules.participation_refusal(debate),
        # Asked with the debate: an institution's administrator moderates
        # (and reads the hidden arguments of) their institution's debates
        # only, never the city's or another institution's.
        "can_moderate": user is not None and rules.has_perm("debates.moderate", user, debate),
    }
