"""The member's mileage page and the public rankings. Read-only: every
change to the ledger is a service in mileage/services.py."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from oasis.page_cache import cached_for_anonymous
from oasis.pagination import CappedPaginator

from . import selectors
from .models import MileageSettings

LEDGER_PAGE_SIZE = 20


@never_cache
@login_required
def my_mileage(request):
    """Balance, grade, the way to the next grade, the ledger (paged) and how
    grades are earned. A fixed number of queries whatever the ledger's size."""
    user = request.user
    settings = MileageSettings.load()
    paginator = CappedPaginator(selectors.member_entries(user=user), LEDGER_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "mileage/mine.html",
        {
            "balance": user.mileage_balance,
            "progress": selectors.grade_progress(user, thresholds=settings.thresholds()),
            "page": page,
            "rows": selectors.ledger_rows(page.object_list),
            "ladder": selectors.grade_ladder(settings=settings),
            "rules": selectors.earning_rules(),
        },
    )


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


def _month_asked(value: str | None) -> datetime.date:
    """The month of ?month=YYYY-MM; none means this month. A month that is
    not a month, or one in the future, has no ranking: 404."""
    if not value:
        return this_month()
    try:
        month = datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise Http404 from None
    if month > this_month() or month.year < 2000:
        raise Http404
    return month


@cached_for_anonymous
def ranking(request):
    """This month's ranking (or ?month=YYYY-MM's) and the all-time ranking:
    the first RANKING_SIZE members each, masked names with their grade.
    Four queries whatever the number of members."""
    month = _month_asked(request.GET.get("month"))
    monthly = [
        (rank, row.member, row.points)
        for rank, row in _ranked(selectors.monthly_ranking(month=month), lambda r: r.points)
    ]
    all_time = [
        (rank, member, member.mileage_balance)
        for rank, member in _ranked(selectors.all_time_ranking(), lambda m: m.mileage_balance)
    ]
    months = selectors.ranked_months()
    current = this_month()
    if current not in months:
        months = [current, *months]
    return render(
        request,
        "mileage/ranking.html",
        {
            "month": month,
            "is_this_month": month == current,
            "months": months,
            "monthly": monthly,
            "all_time": all_time,
            "size": selectors.RANKING_SIZE,
        },
    )


def _ranked(rows, points_of):
    """Rows with their rank, equal points sharing a rank (1, 2, 2, 4)."""
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        points = points_of(row)
        if points != previous:
            rank, previous = position, points
        yield rank, row
