"""Pages of the API's lists, like the site's: 20 by default, `page_size` up
to 100 (a larger value is capped, not refused).

Shared ground: DRF's page-number paginator. The api-core part makes it
count no more than the site's lists do (oasis.pagination)."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
