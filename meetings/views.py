"""Public pages of the realization meetings. Everything here is public: the
meetings, their outcomes and the printable agenda (transparency: the agenda
holds only what is already public: the proposal, its counts, the published
department answer, the debate and the expert opinions)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from accounts.names import public_name_for
from oasis.page_cache import cached_for_anonymous

from . import selectors
from .models import RealizationMeeting

PAST_PAGE_SIZE = 12


@cached_for_anonymous
def meeting_list(request):
    """Upcoming meetings, then past ones (latest first) with their outcomes."""
    now = timezone.now()
    upcoming = list(selectors.upcoming_meetings(now))
    past = Paginator(selectors.past_meetings(now), PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/list.html", {"upcoming": upcoming, "past": past})


@cached_for_anonymous
def meeting_detail(request, pk):
    try:
        meeting = selectors.meeting_for_detail(pk)
    except RealizationMeeting.DoesNotExist:
        raise Http404 from None
    # The same attendees as the agenda's cover: with the proposers on it.
    proposers = [public_name_for(item.proposal.author) for item in meeting.item_list]
    return render(
        request,
        "meetings/detail.html",
        {"meeting": meeting, "attendees": meeting.attendee_groups(proposers)},
    )


@cached_for_anonymous
def meeting_agenda(request, pk):
    """The printable agenda: a cover page and one page per item (print CSS
    in static/css/agenda.css)."""
    try:
        meeting = RealizationMeeting.objects.get(pk=pk)
    except RealizationMeeting.DoesNotExist:
        raise Http404 from None
    entries = selectors.agenda_entries(meeting)
    return render(
        request,
        "meetings/agenda.html",
        {
            "meeting": meeting,
            "entries": entries,
            "attendees": selectors.cover_attendees(meeting, entries),
        },
    )
