"""A paginator that never counts a whole big table.

Django's Paginator runs an exact COUNT(*) over everything the list matches
on every page view, and that count grew with the data: 110-220 ms for the
public proposal list at Seoul's ten-year size, most of the page's time. The
exact total helps nobody past a few thousand ("제안 170,000건" and "10,000건
이상" tell a reader the same thing), so this paginator counts at most
`cap + 1` rows through a LIMITed subquery: up to the cap the count shown is
exact; above it the page says "more than N" and still navigates, each page
fetching one row more than it shows to know whether there is a next one.
The cost is bounded by the cap and by how deep a reader pages, never by
the size of the table."""

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

# No list is this long (10 million rows at 20 a page); a page number above it
# is a typo or a probe.
MAX_PAGE = 500_000


class CappedPage(Page):
    """A page past the cap, which knows whether a next one exists from the
    extra row it fetched rather than from a total."""

    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self):
        return self._has_more

    @property
    def total(self):
        """The exact number of rows, when this page shows the last of them."""
        if self._has_more or (not self.object_list and self.number > 1):
            return None
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)

    @property
    def more_than(self) -> int:
        """What is known when the total is not: more rows than the cap, and
        more than this page and those before it show."""
        return max(self.paginator.cap, self.number * self.paginator.per_page)

    def has_other_pages(self):
        return self.has_previous() or self.has_next()


class CappedPaginator(Paginator):
    """A Paginator whose `count` stops at `cap + 1`; `is_capped` says the
    list holds more than `cap` rows and `count` is then not the total.
    Templates show `cap` as "more than" (see templates/components/
    pagination.html and the lists using it)."""

    def __init__(
        self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, cap=None
    ):
        # Positional like Paginator's: the admin's get_paginator passes them so.
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        # settings.LIST_COUNT_CAP: 10,000 rows (500 pages of 20) by default;
        # counting them is an index scan of a few milliseconds.
        # cap=0 never counts: a search's count would read every match.
        self.cap = settings.LIST_COUNT_CAP if cap is None else cap

    @cached_property
    def count(self):
        if self.cap == 0:
            return 1  # never counted: every page knows its neighbours alone
        if isinstance(self.object_list, QuerySet):
            # A sliced queryset counts through a subquery with LIMIT; without
            # its ordering, so the planner may count along any index, and of
            # its ids only, so annotations (a member's "endorsed" flag) are
            # not computed for every row counted.
            return self.object_list.order_by().values("pk")[: self.cap + 1].count()
        return min(len(self.object_list), self.cap + 1)

    def _rows(self, bottom, top) -> list:
        """Rows bottom..top in order. A queryset is paged by its ids first and
        its rows (with their joins and prefetches) fetched for those ids
        only: an OFFSET over a query with joins makes PostgreSQL join every
        skipped row (100 ms for page 500), while the ids come straight off
        the sort's index."""
        if not isinstance(self.object_list, QuerySet):
            return list(self.object_list[bottom:top])
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        found = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        return [found[pk] for pk in ids if pk in found]

    @property
    def is_capped(self) -> bool:
        return self.cap == 0 or self.count > self.cap

    def validate_number(self, number):
        if not self.is_capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > MAX_PAGE:
            # Past any real list: an offset this large overflows the
            # database's integers (a 500), so it is simply past the end.
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if not self.is_capped:
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            return self._get_page(self._rows(bottom, top), number, self)
        rows = self._rows(bottom, bottom + self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(
            rows[: self.per_page], number, self, has_more=len(rows) > self.per_page
        )

    def get_page(self, number):
        """Like Paginator.get_page; past the cap a page beyond the end is
        shown empty (with its link back) instead of the last page, which
        would need the total."""
        if not self.is_capped:
            return super().get_page(number)
        try:
            number = self.validate_number(number)
        except (PageNotAnInteger, EmptyPage):
            number = 1
        try:
            return self.page(number)
        except EmptyPage:
            return CappedPage([], number, self, has_more=False)
