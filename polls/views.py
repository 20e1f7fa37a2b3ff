"""The public side of the city polls (서울시가 묻습니다): the list, a poll's
page and voting on it. Thin views: the form checks shape, the vote service
applies the rules under the poll's lock, and a refusal comes back as the
poll's page with its reason and the status that fits (400 for answers that
do not fit the questions, 403 for a vote the rules refuse)."""

import rules as django_rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oasis.errors import ServiceError
from oasis.files import serve_media
from oasis.page_cache import cached_for_anonymous
from oasis.pagination import CappedPaginator
from oasis.ratelimits import rate_limited

from . import rules, selectors
from .forms import VoteForm
from .models import PollAttachment, PollKind
from .services import votes
from .targeting import eligibility

PAGE_SIZE = 20


def poll_list_context(request, *, institution=None) -> dict:
    """The poll list: the city-wide one, or one partner institution's (its
    space's /org/<slug>/polls/, the same list and tabs)."""
    kind = request.GET.get("kind", "")
    if kind not in PollKind.values:
        kind = ""
    now = timezone.now()
    paginator = CappedPaginator(
        selectors.public_polls(kind=kind, now=now, institution=institution), PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    voted = selectors.voted_poll_ids(request.user, [poll.pk for poll in page])
    for poll in page:
        poll.days_left = selectors.days_left(poll, now)
        poll.voted = poll.pk in voted
    return {
        "page": page,
        "kind": kind,
        "kinds": PollKind.choices,
        "query": urlencode({"kind": kind}) if kind else "",
        "list_url": request.path,
        "OPEN": selectors.OPEN,
        "UPCOMING": selectors.UPCOMING,
    }


@cached_for_anonymous
def poll_list(request):
    """Open polls first, then those about to open, then closed ones; by type."""
    return render(request, "polls/list.html", poll_list_context(request))


def _details_needed_url(poll) -> str:
    """polltarget's page asking for the profile details a poll needs, back
    to the poll after; empty until that page exists."""
    try:
        url = reverse("polls:details_needed", args=[poll.pk])
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({'next': poll.get_absolute_url()})}"


def page_context(request, poll, *, form=None, now=None, changing=False) -> dict:
    """Everything the poll's page shows, for this reader. Other parts of
    the polls include their blocks in the page (polls_tags.include_part)
    and read this context: `poll`, `questions`, `ballot` (the reader's, or
    None), `may_vote`, `vote_refusal`, `can_change`, `eligibility`,
    `details_needed_url`, `has_closed`, `days_left`, `now`."""
    now = now or timezone.now()
    user = request.user
    questions = selectors.questions_of(poll)
    images, files = selectors.attachments_of(poll)
    ballot = selectors.ballot_of(user, poll)
    refusal = rules.vote_refusal(user, poll, now)
    can_change = ballot is not None and rules.can_change_vote(user, poll, now)
    found = eligibility(user, poll, timezone.localdate(now)) if user.is_authenticated else None
    # The vote form: for a member who may vote and has not, or who asked to
    # change their vote (or whose changed vote was refused and comes back).
    show_form = refusal is None and (ballot is None or changing or form is not None)
    # The target's own refusal is said once, by the eligibility box above
    # the vote (with its link to give missing details); the vote's place
    # would only repeat it.
    said_by_target_box = (
        refusal is not None
        and found is not None
        and not found.allowed
        and refusal == rules.target_refusal(user, poll, now)
    )
    if show_form and form is None:
        answers, reason = selectors.answers_of(ballot, questions)
        form = VoteForm(
            poll=poll, questions=questions, initial_answers=answers, initial_reason=reason
        )
    return {
        "poll": poll,
        "questions": questions,
        "images": images,
        "files": files,
        "ballot": ballot,
        "my_vote": selectors.my_vote(ballot, questions),
        "form": form if show_form else None,
        "changing": ballot is not None and show_form,
        "may_vote": refusal is None,
        "vote_refusal": refusal,
        "refusal_said_above": said_by_target_box,
        "can_change": can_change,
        "eligibility": found,
        "details_needed_url": _details_needed_url(poll) if found and found.missing else "",
        "has_closed": rules.has_closed(poll, now),
        "has_not_opened": rules.has_not_opened(poll, now),
        "days_left": selectors.days_left(poll, now),
        "is_discussion": poll.kind == PollKind.DISCUSSION,
        "now": now,
    }


@cached_for_anonymous
def poll_detail(request, pk):
    """A poll: what it asks and why, its material, and the vote form, the
    member's vote, or why they cannot vote."""
    poll = selectors.public_poll_or_404(pk)
    changing = request.GET.get("change") == "1"
    return render(request, "polls/detail.html", page_context(request, poll, changing=changing))


def _refused(request, poll, now, message=None):
    """The poll's page with the reason the vote was refused, announced at
    the top of the vote's place (403: the rules, not the input, refused)."""
    context = page_context(request, poll, now=now)
    context["refused_now"] = message or context["vote_refusal"] or rules.already_voted()
    return render(request, "polls/detail.html", context, status=403)


@login_required
@require_POST
@rate_limited("poll_vote")
def poll_vote(request, pk):
    """Vote, or change one's vote where the poll allows it."""
    poll = selectors.public_poll_or_404(pk)
    now = timezone.now()
    questions = selectors.questions_of(poll)
    refusal = rules.vote_refusal(request.user, poll, now)
    if refusal:
        # Closed, outside the target, already voted, a staff account: the
        # page says why, and nothing is recorded.
        return _refused(request, poll, now)
    form = VoteForm(request.POST, poll=poll, questions=questions)
    if not form.is_valid():
        return render(
            request,
            "polls/detail.html",
            page_context(request, poll, form=form, now=now),
            status=400,
        )
    try:
        _ballot, created = votes.poll_vote(
            poll=poll,
            member=request.user,
            answers=form.answers(),
            reason=form.reason_text(),
            now=now,
        )
    except votes.VoteInvalid as exc:
        form.add_service_error(exc)
        return render(
            request,
            "polls/detail.html",
            page_context(request, poll, form=form, now=now),
            status=400,
        )
    except ServiceError as exc:
        return _refused(request, poll, now, exc.message)
    if created:
        messages.success(request, _("Thank you! Your vote was recorded."))
    else:
        messages.success(request, _("Your vote was changed."))
    return redirect(f"{poll.get_absolute_url()}#my-vote")


def poll_attachment(request, pk):
    """A poll's image or file, served while its poll is public, and to the
    staff who may see a draft in the admin (its preview shows this page)."""
    item = get_object_or_404(PollAttachment.objects.select_related("poll__department"), pk=pk)
    if not (
        rules.is_public(item.poll)
        or django_rules.has_perm("polls.see_poll_admin", request.user, item.poll)
    ):
        raise Http404
    return serve_media(
        item.file, download_name=None if item.kind == "image" else item.file.name.rsplit("/", 1)[-1]
    )
