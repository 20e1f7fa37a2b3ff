"""The public award pages: 이달의 상상지기 (confirmed months, newest first)
and the yearly best creative policies. An unconfirmed round is never shown."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.names import public_name_for
from oasis.page_cache import cached_for_anonymous

from . import selectors

# Months per page: two years of winners.
MONTHS_PER_PAGE = 24


def winner_name(official) -> str:
    """An official's name as departments publish it: staff names are public
    in Seoul's government, so the name they go by, not the citizens' mask;
    a member who withdrew is named as every withdrawn member is."""
    if official.withdrawn_at is not None or not official.display_name.strip():
        return public_name_for(official)
    return official.display_name.strip()


@cached_for_anonymous
def monthly(request):
    """이달의 상상지기: the confirmed months with their winners and counts."""
    page = Paginator(selectors.confirmed_rounds(), MONTHS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for award in page:
        for winner in award.winners:
            winner.public_name = winner_name(winner.official)
    return render(request, "awards/monthly.html", {"page": page, "query": ""})


@cached_for_anonymous
def best(request):
    """The best creative policies of one year (?year=, default the latest),
    with every year that has some linked."""
    years = selectors.best_policy_years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else None
    policies = list(selectors.best_policies().filter(year=year)) if year else []
    return render(request, "awards/best.html", {"years": years, "year": year, "policies": policies})
