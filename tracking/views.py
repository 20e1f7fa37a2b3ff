"""The public tracker of adopted items: every card, its stage and history.
Everything here is public; internal history rows (handoffs) are not shown."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .filters import CardFilter
from .models import ManagementCard

PAGE_SIZE = 20


def card_list(request):
    """Every adopted item, newest adoption first, filtered by GET parameters."""
    filterset = CardFilter(request.GET, queryset=selectors.public_cards())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tracking/list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


def card_detail(request, pk):
    try:
        card = selectors.card_for_detail(pk)
    except ManagementCard.DoesNotExist:
        raise Http404 from None
    history = list(selectors.public_history(card))
    reports = list(selectors.submitted_reports(card))
    return render(
        request,
        "tracking/detail.html",
        {"card": card, "history": history, "reports": reports},
    )
