"""The public proposal list's filters. Plain GET parameters, so they work
without JavaScript and the URL can be shared."""

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.districts import District

from .forms import CategoryChoiceField
from .models import Category, Proposal, ProposalStatus
from .search import search_proposals

CITY_WIDE = "citywide"


class CategoryFilter(django_filters.ModelChoiceFilter):
    field_class = CategoryChoiceField


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProposalStatus.choices, empty_label=_("All statuses")
    )
    category = CategoryFilter(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="code",
        empty_label=_("All categories"),
    )
    district = django_filters.ChoiceFilter(
        label=_("District"),
        choices=[(CITY_WIDE, _("City-wide"))] + list(District.choices),
        empty_label=_("All districts"),
        method="filter_district",
    )
    tag = django_filters.CharFilter(label=_("Tag"), method="filter_tag")
    sort = django_filters.OrderingFilter(
        label=_("Sort"),
        empty_label=None,
        null_label=None,
        choices=[
            ("new", _("Newest")),
            ("endorsed", _("Most endorsed")),
            ("commented", _("Most commented")),
            ("viewed", _("Most viewed")),
        ],
        method="sort_by",
    )

    class Meta:
        model = Proposal
        fields = ["q", "status", "category", "district", "tag"]

    def filter_text(self, queryset, name, value):
        # Every word must occur, anywhere (proposals/text.py says how).
        return search_proposals(queryset, value)

    def filter_tag(self, queryset, name, value):
        # Tags are shown as #한강; typing them that way finds them too.
        tag = value.strip().lstrip("#")
        return queryset.filter(tags__name=tag).distinct() if tag else queryset

    def filter_district(self, queryset, name, value):
        return queryset.filter(district="" if value == CITY_WIDE else value)

    ORDERINGS = {
        "new": ("-created_at", "-id"),
        "endorsed": ("-endorsement_count", "-id"),
        "commented": ("-comment_count", "-id"),
        "viewed": ("-view_count", "-id"),
    }

    def sort_by(self, queryset, name, value):
        key = value[0] if value else "new"
        return queryset.order_by(*self.ORDERINGS.get(key, self.ORDERINGS["new"]))

    @property
    def qs(self):
        queryset = super().qs
        # Newest first when no sort is chosen.
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*self.ORDERINGS["new"])
        return queryset
