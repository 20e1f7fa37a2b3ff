"""The public tracker's filters. Plain GET parameters, so they work without
JavaScript and the URL can be shared."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.districts import District
from accounts.models import Department
from proposals.filters import CITY_WIDE, CategoryFilter
from proposals.models import Category

from .models import CardKind, CardStage, ManagementCard

FIRST_YEAR = 2025


def adoption_years():
    return [(str(year), str(year)) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class CardFilter(django_filters.FilterSet):
    # Adopted by a meeting, or promised by the department's answer; the
    # values are the English codes (?kind=promise), the labels translated.
    kind = django_filters.ChoiceFilter(
        label=_("Origin"), choices=CardKind.choices, empty_label=_("All origins")
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=CardStage.choices, empty_label=_("All stages")
    )
    # The card is opened the moment the meeting adopts the proposal (or
    # the department's accepting answer is published).
    year = django_filters.ChoiceFilter(
        label=_("Year opened"),
        choices=adoption_years,
        empty_label=_("All years"),
        field_name="created_at",
        lookup_expr="year",
    )
    category = CategoryFilter(
        label=_("Category"),
        field_name="proposal__category",
        queryset=Category.objects.all(),
        to_field_name="code",
        empty_label=_("All categories"),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.order_by("name"),
        empty_label=_("All departments"),
    )
    district = django_filters.ChoiceFilter(
        label=_("District"),
        choices=[(CITY_WIDE, _("City-wide"))] + list(District.choices),
        empty_label=_("All districts"),
        method="filter_district",
    )

    class Meta:
        model = ManagementCard
        fields = ["kind", "stage", "year", "category", "department", "district"]

    def filter_district(self, queryset, name, value):
        return queryset.filter(proposal__district="" if value == CITY_WIDE else value)
