"""Pages of the API's lists, like the site's (oasis.pagination): 20 rows by
default, `page_size` up to 100 (a larger value is capped, not refused: a
partner asking for 1000 gets pages of 100 and follows `next`).

The count never reads a whole big table: up to settings.LIST_COUNT_CAP
(10,000) rows `count` is exact; above it `count` is null and
`count_more_than` says how many there are at least, and `next` still
leads on (each page fetches one row more than it shows to know).

`page` and `page_size` must be positive whole numbers written in ASCII
digits: anything else is a 400 saying so; a page past the end is a 404."""

import re

from django.core.paginator import InvalidPage
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from oasis.pagination import MAX_PAGE, CappedPaginator

WHOLE_NUMBER = re.compile(r"^[0-9]{1,12}$")


class PageNotFound(exceptions.NotFound):
    default_detail = _("There is no such page: the list ends before it.")
    default_code = "page_not_found"


def _whole_number(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None or value == "":
        return None
    if not WHOLE_NUMBER.match(value) or int(value) < 1:
        raise exceptions.ValidationError(
            {name: [_("Give a whole number of 1 or more.")]}, code="invalid"
        )
    return int(value)


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = CappedPaginator
    last_page_strings = ()  # "last" would need the total

    def get_page_size(self, request):
        size = _whole_number(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        number = _whole_number(request, self.page_query_param) or 1
        if number > MAX_PAGE:
            raise PageNotFound()
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise PageNotFound() from None
        return list(self.page)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        exact = not paginator.is_capped
        return Response(
            {
                "count": paginator.count if exact else None,
                "count_more_than": None if exact else paginator.cap,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_more_than", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": "The number of rows, exact up to 10,000; null above.",
                    "example": 123,
                },
                "count_more_than": {
                    "type": "integer",
                    "nullable": True,
                    "description": "When count is null: the list holds more rows than this.",
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1. Past the end: 404.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": "Rows per page: 20 by default, at most 100 (more is read as 100).",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
