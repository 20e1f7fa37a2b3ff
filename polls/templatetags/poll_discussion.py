"""`{% load poll_discussion %}{% poll_discussion poll %}`: the discussion
block of a discussion poll's page (templates/polls/includes/
discussion_block.html), with everything it reads: a page of the visible
arguments (the `apage` parameter), the member's endorsements among them,
the tallies, whether the member may take part (and why not), and the
argument form, holding a refused argument's text as its author wrote it.
templates/polls/includes/discussion.html calls it, so a page includes the
block with `poll` in its context (and, from the poll page's context,
`questions` and `details_needed_url` when it has them). A fixed number of
queries."""

from django import template

from .. import discussion
from ..discussion_forms import DRAFT_SESSION_KEY, NEITHER, ArgumentForm
from ..discussion_rules import discussion_refusal

register = template.Library()

# The page's parameter for the arguments' pages (the poll page may have
# other lists).
PAGE_PARAMETER = "apage"


def _question(context, poll):
    questions = context.get("questions")
    if questions is None:
        return poll.questions.first()
    return next(iter(questions), None)


@register.inclusion_tag("polls/includes/discussion_block.html", takes_context=True)
def poll_discussion(context, poll):
    request = context.get("request")
    user = getattr(request, "user", None)
    number = request.GET.get(PAGE_PARAMETER, 1) if request is not None else 1
    page = discussion.arguments_page(poll, number)
    endorsed = discussion.endorsed_ids(user, [argument.pk for argument in page])
    rows = [
        {
            "argument": argument,
            "endorsed": argument.pk in endorsed,
            "own": user is not None
            and argument.author_id is not None
            and argument.author_id == user.pk,
        }
        for argument in page
    ]
    logged_in = bool(user is not None and user.is_authenticated)
    refusal = discussion_refusal(user, poll) if logged_in else None

    form = ArgumentForm(auto_id="argument_%s")
    session = getattr(request, "session", None)
    draft = session.get(DRAFT_SESSION_KEY) if session is not None else None
    if draft and draft.get("poll") == poll.pk:
        # A refused argument comes back to its author as written.
        form = ArgumentForm(
            auto_id="argument_%s",
            initial={
                "side": draft.get("side") or None,
                "body": draft.get("body"),
                "submission_token": draft.get("submission_token")
                or form.initial["submission_token"],
            },
        )
        session.pop(DRAFT_SESSION_KEY, None)
    return {
        "poll": poll,
        # A discussion poll asks one question (the poll page has read it).
        "question": _question(context, poll),
        # Where a member lacking the data a targeted poll needs gives it.
        "details_needed_url": context.get("details_needed_url", ""),
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "page": page,
        "rows": rows,
        "tallies": discussion.tallies(poll),
        "logged_in": logged_in,
        "may_take_part": logged_in and refusal is None,
        "refusal": refusal,
        "form": form,
        "neither": NEITHER,
        "page_parameter": PAGE_PARAMETER,
    }
