"""The public proposal list's filters. Plain GET parameters, so they work
without JavaScript and the URL can be shared."""

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.districts import District
from accounts.models import Institution

from .forms import CategoryChoiceField
from .models import Category, Proposal, ProposalStatus
from .search import search_proposals

CITY_WIDE = "citywide"
# The addressee filter's value for proposals to the city itself.
CITY_ONLY = "city"


class InstitutionFilter(django_filters.ChoiceFilter):
    """기관: the city's own proposals (CITY_ONLY) or one partner
    institution's (its slug); the choices are read when the form is built."""

    def filter(self, queryset, value):
        if not value:
            return queryset
        if value == CITY_ONLY:
            return queryset.filter(institution__isnull=True)
        return queryset.filter(institution__slug=value)


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
    institution = InstitutionFilter(
        label=_("Institution"), choices=[], empty_label=_("The city and every institution")
    )
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
        fields = ["q", "status", "category", "district", "tag", "institution"]

    def __init__(self, *args, institution=None, **kwargs):
        """`institution`: one partner institution's list (its space): the
        addressee is fixed, and only its categories are offered."""
        super().__init__(*args, **kwargs)
        self.fixed_institution = institution
        if institution is not None:
            del self.filters["institution"]
            self.filters["category"].queryset = Category.objects.filter(institution=institution)
            self.queryset = self.queryset.filter(institution=institution)
        else:
            self.filters["institution"].extra["choices"] = [(CITY_ONLY, _("Seoul (the city)"))] + [
                (i.slug, i.label) for i in Institution.objects.all()
            ]

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
