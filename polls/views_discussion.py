"""The discussion poll's (토론형) posts: an argument, an endorsement (공감)
and its taking back. Thin: the form checks shape, the services apply the
rules, a refusal becomes a message on the poll page, and a refused argument
waits in the session to be shown again as its author wrote it. Every post
goes back to the poll page's discussion block (polls.views.poll_detail
includes templates/polls/includes/discussion.html for a discussion poll)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.once import AlreadySubmitted, create_once
from oasis.errors import ServiceError
from oasis.ratelimits import rate_limited

from .discussion_forms import DRAFT_SESSION_KEY, ArgumentForm
from .models import Poll, PollArgument, PollKind
from .rules import PUBLIC_STATUSES
from .services import discussion as services
from .templatetags.poll_discussion import PAGE_PARAMETER

# Enough to give back an argument that was too long, so its author can cut it.
DRAFT_MAX_LENGTH = 20_000


def _public_discussion_or_404(pk) -> Poll:
    return get_object_or_404(Poll, pk=pk, kind=PollKind.DISCUSSION, status__in=PUBLIC_STATUSES)


def poll_page_url(poll: Poll, anchor: str = "poll-discussion", page=None) -> str:
    """The poll's public page at the discussion block (or one argument), on
    the arguments' page `page`."""
    url = poll.get_absolute_url()
    query = ""
    # The page comes back from a posted form: only ASCII digits of a sane
    # length are a page ("²" passes isdigit() and a 5,000-digit number
    # passes it too, and int() refuses both with a 500).
    page = str(page or "")
    if page.isascii() and page.isdigit() and len(page) <= 9 and int(page) > 1:
        query = "?" + urlencode({PAGE_PARAMETER: int(page)})
    return f"{url}{query}#{anchor}"


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
@require_POST
@rate_limited("poll_argument")
def argument_post(request, pk):
    poll = _public_discussion_or_404(pk)
    form = ArgumentForm(request.POST)
    draft = {
        "poll": poll.pk,
        "side": request.POST.get("side", "")[:10],
        "body": request.POST.get("body", "")[:DRAFT_MAX_LENGTH],
        # The refused form keeps its token, so sent again it still posts once.
        "submission_token": request.POST.get("submission_token", "")[:64],
    }
    if form.is_valid():
        try:
            argument = create_once(
                user=request.user,
                token=form.cleaned_data["submission_token"],
                create=lambda: services.argument_post(
                    poll=poll,
                    author=request.user,
                    side=form.stored_side(),
                    body=form.cleaned_data["body"],
                ),
                url_of=lambda made: poll_page_url(poll, f"argument-{made.pk}"),
            )
        except AlreadySubmitted as done:
            request.session.pop(DRAFT_SESSION_KEY, None)
            messages.info(request, _("This form was already sent; here is what it made."))
            return redirect(done.url)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            request.session.pop(DRAFT_SESSION_KEY, None)
            messages.success(request, _("Your argument is posted."))
            return redirect(poll_page_url(poll, f"argument-{argument.pk}"))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    request.session[DRAFT_SESSION_KEY] = draft
    return redirect(poll_page_url(poll, "poll-argue"))


def _public_argument_or_404(pk) -> PollArgument:
    argument = get_object_or_404(
        PollArgument.objects.select_related("poll"),
        pk=pk,
        poll__kind=PollKind.DISCUSSION,
        poll__status__in=PUBLIC_STATUSES,
    )
    return argument


def _endorsement_view(request, pk, *, service, done: str):
    argument = _public_argument_or_404(pk)
    try:
        service(argument=argument, member=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(
        poll_page_url(argument.poll, f"argument-{argument.pk}", request.POST.get(PAGE_PARAMETER))
    )


@login_required
@require_POST
@rate_limited("poll_endorse")
def argument_endorse(request, pk):
    return _endorsement_view(
        request, pk, service=services.argument_endorse, done=_("You endorsed this argument.")
    )


@login_required
@require_POST
@rate_limited("poll_endorse")
def argument_unendorse(request, pk):
    return _endorsement_view(
        request,
        pk,
        service=services.argument_unendorse,
        done=_("You took back your endorsement."),
    )
