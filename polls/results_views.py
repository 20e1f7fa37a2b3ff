"""The results page of a city poll, /polls/<id>/results/ (polls:results).

Anyone sees the results once they are public (polls.results.results_public);
before that the page says when they will be, and the poll's staff see them
marked "not public yet". A draft is the staff's alone (404 for others)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .models import Poll, PollStatus
from .results import poll_results, results_visible
from .results_rules import is_poll_staff


def results(request, pk: int):
    poll = get_object_or_404(Poll.objects.select_related("department"), pk=pk)
    staff = is_poll_staff(request.user, poll)
    if poll.status == PollStatus.DRAFT and not staff:
        raise Http404
    now = timezone.now()
    shown = results_visible(poll, request.user, now)
    context = {
        "poll": poll,
        "results": poll_results(poll, user=request.user, now=now) if shown else None,
        "response_shown": bool(poll.response_published_at),
    }
    return render(request, "polls/results.html", context)
