"""Filters the debates, meetings, adopted items, polls and statistics
endpoints share: numbers a database can look up. A number beyond an integer
column's range (a 500 on PostgreSQL), a decimal where an id is wanted or a
year no proposal can have is refused with a 400 before any query."""

import django_filters
from django import forms

# --- filters ----------------------------------------------------------------------------

# The largest id a filter looks up: beyond the integer columns' range a
# database refuses the number (a 500 on PostgreSQL), so it is a 400 here.
MAX_ID = 2**31 - 1
# The years a filter accepts: no proposal is older than the portal, and a
# year past 9999 is not a date at all.
MIN_YEAR = 2000
MAX_YEAR = 2100


class IdFilter(django_filters.NumberFilter):
    """A whole number id (a decimal or a huge number is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A year of a date or time field, in Seoul time."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs.setdefault("lookup_expr", "year")
        super().__init__(*args, **kwargs)
